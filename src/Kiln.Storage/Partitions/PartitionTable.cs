using Kiln.Storage.Blocks;

namespace Kiln.Storage.Partitions;

/// <summary>
/// A disk's partition table, read-only. <see cref="Warnings"/> lists what was wrong but
/// survivable (a bad primary GPT read through its backup, a partition running past the end).
/// </summary>
public sealed class PartitionTable
{
    internal PartitionTable(PartitionScheme scheme, IReadOnlyList<Partition> partitions, IReadOnlyList<string> warnings,
        MasterBootRecord? mbr, Guid? diskGuid, int sectorSize)
    {
        Scheme = scheme;
        Partitions = partitions;
        Warnings = warnings;
        Mbr = mbr;
        DiskGuid = diskGuid;
        SectorSize = sectorSize;
    }

    public PartitionScheme Scheme { get; }
    public IReadOnlyList<Partition> Partitions { get; }
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>LBA 0 as an MBR (the protective MBR on GPT disks); null when the disk has none.</summary>
    public MasterBootRecord? Mbr { get; }
    public Guid? DiskGuid { get; }
    public int SectorSize { get; }

    /// <summary>A read-only window onto one partition (the device is not owned by the window).</summary>
    public static PartitionDevice Open(IBlockDevice disk, Partition partition) => new(disk, partition.Offset, partition.Length);

    /// <summary>
    /// Reads the table: GPT when LBA 0 is a protective MBR (or missing while a GPT header is found),
    /// otherwise MBR (with logical partitions in an extended partition), otherwise None.
    /// Throws <see cref="CorruptImageException"/> when a GPT is announced but neither header is usable.
    /// </summary>
    public static async Task<PartitionTable> ReadAsync(IBlockDevice disk, CancellationToken ct = default)
    {
        var warnings = new List<string>();
        if (disk.Length < 2 * MasterBootRecord.SectorSize)
            return new PartitionTable(PartitionScheme.None, [], warnings, null, null, MasterBootRecord.SectorSize);

        var lba0 = await disk.ReadBytesAsync(0, MasterBootRecord.SectorSize, ct).ConfigureAwait(false);
        var mbr = MasterBootRecord.TryParse(lba0);

        if (mbr is { IsProtective: true })
            return await GptReader.ReadAsync(disk, mbr, warnings, ct).ConfigureAwait(false);

        if (mbr is null && !MasterBootRecord.LooksLikeVolumeBootRecord(lba0))
        {
            // No MBR at all: a GPT whose protective MBR was wiped still has its headers.
            var gpt = await GptReader.TryReadWithoutMbrAsync(disk, warnings, ct).ConfigureAwait(false);
            if (gpt is not null) return gpt;
        }

        if (mbr is null || mbr.Entries.All(e => e.IsEmpty))
            return new PartitionTable(PartitionScheme.None, [], warnings, mbr, null, MasterBootRecord.SectorSize);

        var partitions = await MbrReader.ReadPartitionsAsync(disk, mbr, warnings, ct).ConfigureAwait(false);
        return new PartitionTable(PartitionScheme.Mbr, partitions, warnings, mbr, null, MasterBootRecord.SectorSize);
    }
}
