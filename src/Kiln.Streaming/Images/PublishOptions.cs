namespace Kiln.Streaming.Images;

/// <summary>How <see cref="ImageStore.PublishAsync(Kiln.Storage.Blocks.IBlockDevice, string, Kiln.Storage.Profiles.BootProfile?, PublishOptions, CancellationToken)"/> cuts a version; all recorded in its manifest.</summary>
public sealed record PublishOptions
{
    public const int DefaultChunkSize = 1 << 20;
    public const int DefaultPackSegmentSize = 4 << 20;
    public const int DefaultPackAlignment = 4096;

    /// <summary>Power of two, 4 KiB … 64 MiB. Smaller chunks dedup finer but cost more objects and requests.</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Unit of pack verification and of the prefetch's range requests (a multiple of the alignment).</summary>
    public int PackSegmentSize { get; init; } = DefaultPackSegmentSize;

    /// <summary>Boot extents are rounded out to this, so a reader can mark whole cache blocks present.</summary>
    public int PackAlignment { get; init; } = DefaultPackAlignment;

    public static PublishOptions Default { get; } = new();
}
