namespace Kiln.Storage.FileSystems;

/// <summary>
/// A read-only file system over a block device, enough to inspect an image. Paths use '/' or '\'
/// and are absolute from the root; NTFS and FAT compare names case-insensitively, ext4 exactly.
/// Symlinks (ext4) are followed for every component, with a loop limit.
/// Missing files give <see cref="FileNotFoundException"/>/<see cref="DirectoryNotFoundException"/>;
/// broken structures give <see cref="Blocks.CorruptImageException"/>.
/// </summary>
public interface IFileSystem
{
    /// <summary>ext2 | ext3 | ext4 | fat12 | fat16 | fat32 | ntfs.</summary>
    string Type { get; }

    /// <summary>Volume label, or "" when none.</summary>
    string Label { get; }

    Task<bool> ExistsAsync(string path, CancellationToken ct = default);

    /// <summary>The entry at <paramref name="path"/> (the link itself for a final symlink is NOT returned: it is followed); null when missing.</summary>
    Task<FileSystemEntry?> StatAsync(string path, CancellationToken ct = default);

    Task<IReadOnlyList<FileSystemEntry>> ListDirectoryAsync(string path, CancellationToken ct = default);

    /// <summary>Reads a whole file; refuses files larger than <paramref name="maxBytes"/> (default 64 MiB).</summary>
    Task<byte[]> ReadFileAsync(string path, long maxBytes = FileSystemLimits.DefaultMaxFileBytes, CancellationToken ct = default);

    /// <summary>Reads up to <paramref name="length"/> bytes at <paramref name="offset"/> (fewer at the end of the file).</summary>
    Task<byte[]> ReadFileRangeAsync(string path, long offset, int length, CancellationToken ct = default);
}
