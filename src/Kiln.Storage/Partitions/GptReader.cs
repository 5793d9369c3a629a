using Kiln.Storage.Blocks;

namespace Kiln.Storage.Partitions;

/// <summary>
/// Reads a GPT (UEFI spec 5.3): primary header at LBA 1, backup at the last LBA. A bad primary
/// with a good backup still reads, with a warning saying so.
/// </summary>
internal static class GptReader
{
    private static readonly int[] SectorSizes = [512, 4096];

    public static async Task<PartitionTable> ReadAsync(IBlockDevice disk, MasterBootRecord mbr, List<string> warnings, CancellationToken ct)
    {
        var errors = new List<string>();
        foreach (int ss in SectorSizes)
        {
            var table = await TryReadAsync(disk, ss, mbr, warnings, errors, ct).ConfigureAwait(false);
            if (table is not null) return table;
        }
        throw new CorruptImageException("GPT", MasterBootRecord.SectorSize,
            "the protective MBR announces a GPT but neither the primary nor the backup header is usable: " + string.Join("; ", errors));
    }

    public static async Task<PartitionTable?> TryReadWithoutMbrAsync(IBlockDevice disk, List<string> warnings, CancellationToken ct)
    {
        var local = new List<string>();
        foreach (int ss in SectorSizes)
        {
            var table = await TryReadAsync(disk, ss, null, local, [], ct).ConfigureAwait(false);
            if (table is null) continue;
            warnings.Add("LBA 0 holds no protective MBR, but a valid GPT was found; BIOS tools may not see this disk's partitions.");
            warnings.AddRange(local);
            return table;
        }
        return null;
    }

    private static async Task<PartitionTable?> TryReadAsync(IBlockDevice disk, int ss, MasterBootRecord? mbr, List<string> warnings, List<string> errors, CancellationToken ct)
    {
        long sectors = disk.Length / ss;
        if (sectors < 3) return null;
        var primary = await TryHeaderAsync(disk, 1, ss, sectors, ct).ConfigureAwait(false);
        if (primary.Header is { } p)
        {
            var entries = await TryEntriesAsync(disk, p, ss, ct).ConfigureAwait(false);
            if (entries.Entries is not null)
            {
                var backup = await TryHeaderAsync(disk, (long)Math.Min(p.AlternateLba, (ulong)long.MaxValue), ss, sectors, ct).ConfigureAwait(false);
                if (backup.Header is null)
                    warnings.Add($"the backup GPT header at LBA {p.AlternateLba} is unusable ({backup.Error}); the primary was used.");
                return Build(disk, p, entries.Entries, ss, mbr, warnings);
            }
            errors.Add($"primary entries: {entries.Error}");
        }
        // A missing signature at the 4 KiB guess only means the disk has 512-byte sectors: not worth reporting.
        else if (ss == SectorSizes[0] || primary.Error is not null && !primary.Error.Contains("signature", StringComparison.Ordinal))
            errors.Add($"primary header at LBA 1 ({ss}-byte sectors): {primary.Error}");

        var backupHeader = await TryHeaderAsync(disk, sectors - 1, ss, sectors, ct).ConfigureAwait(false);
        if (backupHeader.Header is not { } b)
        {
            if (primary.Header is not null || ss == SectorSizes[0])
                errors.Add($"backup header at LBA {sectors - 1} ({ss}-byte sectors): {backupHeader.Error}");
            return null;
        }
        var backupEntries = await TryEntriesAsync(disk, b, ss, ct).ConfigureAwait(false);
        if (backupEntries.Entries is null)
        {
            errors.Add($"backup entries: {backupEntries.Error}");
            return null;
        }
        warnings.Add($"the primary GPT is unusable ({(primary.Header is null ? primary.Error : errors[^1])}); the partitions were read from the backup GPT header at LBA {sectors - 1}. Repair it (e.g. `sgdisk -e` or gdisk's recovery menu) before relying on the disk.");
        return Build(disk, b, backupEntries.Entries, ss, mbr, warnings);
    }

    private static async Task<(GptHeader? Header, string? Error)> TryHeaderAsync(IBlockDevice disk, long lba, int ss, long sectors, CancellationToken ct)
    {
        if (lba < 1 || lba >= sectors) return (null, $"LBA {lba} is outside the disk");
        var sector = await disk.ReadBytesAsync(lba * ss, ss, ct).ConfigureAwait(false);
        try
        {
            return (GptHeader.Parse(sector, lba * ss, sectors), null);
        }
        catch (CorruptImageException ex)
        {
            return (null, ex.Message);
        }
    }

    private static async Task<(List<GptPartitionEntry>? Entries, string? Error)> TryEntriesAsync(IBlockDevice disk, GptHeader h, int ss, CancellationToken ct)
    {
        long offset = (long)h.PartitionEntryLba * ss;
        var bytes = await disk.ReadBytesAsync(offset, (int)h.EntriesBytes, ct).ConfigureAwait(false);
        uint crc = Crc32.Compute(bytes);
        if (crc != h.PartitionEntryArrayCrc32)
            return (null, new CorruptImageException("GPT partition entry array", offset,
                $"PartitionEntryArrayCRC32 is 0x{h.PartitionEntryArrayCrc32:X8} but the entries sum to 0x{crc:X8}.").Message);
        var list = new List<GptPartitionEntry>();
        for (int i = 0; i < h.NumberOfPartitionEntries; i++)
            list.Add(GptPartitionEntry.Parse(bytes.AsSpan(i * (int)h.SizeOfPartitionEntry, 128)));
        return (list, null);
    }

    private static PartitionTable Build(IBlockDevice disk, GptHeader h, List<GptPartitionEntry> entries, int ss, MasterBootRecord? mbr, List<string> warnings)
    {
        var partitions = new List<Partition>();
        long entriesOffset = (long)h.PartitionEntryLba * ss;
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.IsUnused) continue;
            long at = entriesOffset + (long)i * h.SizeOfPartitionEntry;
            if (e.StartingLba > e.EndingLba || e.EndingLba >= (ulong)(disk.Length / ss))
                throw new CorruptImageException($"GPT partition entry {i + 1}", at + 32,
                    $"LBA range {e.StartingLba}..{e.EndingLba} is empty or outside the disk ({disk.Length / ss} sectors).");
            partitions.Add(new Partition(i + 1, (long)e.StartingLba * ss, (long)(e.EndingLba - e.StartingLba + 1) * ss,
                null, e.TypeGuid, e.UniqueGuid, e.Name, e.LegacyBiosBootable, e.TypeGuid == Partition.EfiSystemType));
        }
        return new PartitionTable(PartitionScheme.Gpt, partitions, warnings, mbr, h.DiskGuid, ss);
    }
}
