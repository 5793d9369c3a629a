namespace Kiln.Storage.FileSystems.Fat;

/// <summary>A file or directory as its 32-byte directory entry describes it (FAT has no inodes).</summary>
public sealed record FatNode(string Name, bool IsDirectory, uint FirstCluster, long Size, bool IsFixedRoot, long EntryOffset);
