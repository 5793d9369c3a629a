using Kiln.Storage.Blocks;

namespace Kiln.Storage.Partitions;

/// <summary>Turns an MBR (and the chain of extended boot records behind an extended partition) into partitions.</summary>
internal static class MbrReader
{
    private const int Sector = MasterBootRecord.SectorSize;

    /// <summary>Bound on the EBR chain (Linux stops at a similar number); also stops loops.</summary>
    private const int MaxLogicalPartitions = 128;

    public static async Task<List<Partition>> ReadPartitionsAsync(IBlockDevice disk, MasterBootRecord mbr, List<string> warnings, CancellationToken ct)
    {
        var result = new List<Partition>();
        for (int i = 0; i < 4; i++)
        {
            var e = mbr.Entries[i];
            if (e.IsEmpty) continue;
            long offset = (long)e.StartingLba * Sector;
            if (offset >= disk.Length)
                throw new CorruptImageException($"MBR partition entry {i + 1}", 446 + i * 16 + 8,
                    $"starts at LBA {e.StartingLba}, beyond the end of the disk ({disk.Length / Sector} sectors).");
            if (e.IsExtended)
            {
                await ReadLogicalAsync(disk, e.StartingLba, e.SizeInLba, result, warnings, ct).ConfigureAwait(false);
                continue;
            }
            result.Add(Make(i + 1, offset, (long)e.SizeInLba * Sector, e, disk, warnings));
        }
        return result;
    }

    private static async Task ReadLogicalAsync(IBlockDevice disk, uint extendedStart, uint extendedSize, List<Partition> result, List<string> warnings, CancellationToken ct)
    {
        var seen = new HashSet<uint>();
        uint ebrLba = extendedStart;
        for (int n = 0; n < MaxLogicalPartitions; n++)
        {
            long ebrOffset = (long)ebrLba * Sector;
            if (!seen.Add(ebrLba))
                throw new CorruptImageException("MBR extended boot record", ebrOffset, "the EBR chain loops back to an earlier record.");
            if (ebrOffset + Sector > disk.Length)
                throw new CorruptImageException("MBR extended boot record", ebrOffset, "lies beyond the end of the disk.");
            var sector = await disk.ReadBytesAsync(ebrOffset, Sector, ct).ConfigureAwait(false);
            if (!MasterBootRecord.HasSignature(sector))
                throw new CorruptImageException("MBR extended boot record", ebrOffset + 510, "signature is not 0x55AA.");
            var logical = MbrPartitionEntry.Parse(sector.AsSpan(446, 16));
            var next = MbrPartitionEntry.Parse(sector.AsSpan(462, 16));
            if (!logical.IsEmpty)
                result.Add(Make(5 + n, ebrOffset + (long)logical.StartingLba * Sector, (long)logical.SizeInLba * Sector, logical, disk, warnings));
            if (next.IsEmpty || !next.IsExtended) return;
            if (next.StartingLba >= extendedSize)
                throw new CorruptImageException("MBR extended boot record", ebrOffset + 462 + 8, $"next EBR at relative LBA {next.StartingLba} is outside the extended partition.");
            ebrLba = extendedStart + next.StartingLba;
        }
        warnings.Add($"the extended partition has more than {MaxLogicalPartitions} logical partitions; the rest were not read.");
    }

    private static Partition Make(int index, long offset, long length, MbrPartitionEntry e, IBlockDevice disk, List<string> warnings)
    {
        if (offset >= disk.Length)
            throw new CorruptImageException($"MBR partition {index}", offset, "starts beyond the end of the disk.");
        if (length > disk.Length - offset)
        {
            warnings.Add($"partition {index} runs {length - (disk.Length - offset)} bytes past the end of the disk (truncated image?); it was clipped.");
            length = disk.Length - offset;
        }
        return new Partition(index, offset, length, e.Type, null, null, "", e.IsActive, e.Type == 0xEF);
    }
}
