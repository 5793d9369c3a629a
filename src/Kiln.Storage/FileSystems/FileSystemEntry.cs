namespace Kiln.Storage.FileSystems;

/// <summary>A directory entry or the result of a stat.</summary>
/// <param name="Id">File-system specific identity: inode number (ext), first cluster (FAT), MFT record number (NTFS).</param>
public sealed record FileSystemEntry(string Name, FileSystemEntryKind Kind, long Size, long Id)
{
    public bool IsDirectory => Kind == FileSystemEntryKind.Directory;
}
