namespace Kiln.TestImages;

/// <summary>Sizes shared by the disk builders: 512-byte sectors, partitions aligned to 1 MiB.</summary>
public static class DiskGeometry
{
    public const int SectorSize = 512;
    public const long Alignment = 1 << 20;

    public static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    public static long Sectors(long bytes) => bytes / SectorSize;

    /// <summary>Disk size for partitions ending at <paramref name="endBytes"/>: 1 MiB spare for the backup GPT.</summary>
    public static long DiskSize(long endBytes, long? requested)
    {
        var minimum = AlignUp(endBytes) + Alignment;
        if (requested is { } size && size < minimum)
            throw new ArgumentOutOfRangeException(nameof(requested), size, $"DiskSizeBytes must be at least {minimum} for this layout.");
        return requested ?? minimum;
    }
}
