namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>Maps a file's logical blocks to volume blocks: extents (ext4) or indirect block maps (ext2/3).</summary>
internal interface IExt4BlockMap
{
    /// <summary>
    /// The run that starts at <paramref name="logical"/>: physical block (0 = a hole, reads as zeros)
    /// and how many blocks the run holds (at least 1).
    /// </summary>
    Task<(ulong Physical, long Count)> MapAsync(long logical, CancellationToken ct);
}
