namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>A file or directory: its MFT record number, and its size (from $DATA once looked up, from the index in listings).</summary>
public sealed record NtfsNode(ulong Record, string Name, bool IsDirectory, long Size);
