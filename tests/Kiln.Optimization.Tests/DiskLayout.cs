using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Kiln.Optimization.Tests;

/// <summary>
/// Where files physically lie on a test disk, found with host tools and without Kiln's own
/// readers, so the profile is checked against an independent answer: sfdisk for the partition
/// table, debugfs for ext4 block maps, mshowfat for FAT cluster chains.
/// </summary>
internal static class DiskLayout
{
    public sealed record Range(long Offset, long Length)
    {
        public long End => Offset + Length;
    }

    public sealed record PartitionInfo(long Offset, long Length);

    public static async Task<IReadOnlyList<PartitionInfo>> PartitionsAsync(string rawImage)
    {
        using var doc = JsonDocument.Parse(await Tool.RunAsync("sfdisk", "--json", rawImage));
        var table = doc.RootElement.GetProperty("partitiontable");
        long sector = table.TryGetProperty("sectorsize", out var s) ? s.GetInt64() : 512;
        return table.GetProperty("partitions").EnumerateArray()
            .Select(p => new PartitionInfo(p.GetProperty("start").GetInt64() * sector, p.GetProperty("size").GetInt64() * sector))
            .ToList();
    }

    /// <summary>The first partition holding an ext2/3/4 superblock (magic 0xEF53 at byte 1080).</summary>
    public static async Task<PartitionInfo> ExtPartitionAsync(string rawImage)
    {
        await using var file = File.OpenRead(rawImage);
        foreach (var p in await PartitionsAsync(rawImage))
        {
            var magic = new byte[2];
            file.Position = p.Offset + 1080;
            await file.ReadExactlyAsync(magic);
            if (BinaryPrimitives.ReadUInt16LittleEndian(magic) == 0xEF53) return p;
        }
        throw new InvalidOperationException($"{rawImage}: no ext partition");
    }

    /// <summary>Disk byte ranges of the boot working-set files listed in the root's manifest.</summary>
    public static async Task<IReadOnlyList<Range>> WorkingSetRangesAsync(string rawImage, string scratch)
    {
        var part = await ExtPartitionAsync(rawImage);
        var root = Path.Combine(scratch, "root.ext4");
        await Tool.RunAsync("dd", $"if={rawImage}", $"of={root}", "bs=1M", "conv=sparse", "status=none",
            "iflag=skip_bytes,count_bytes", $"skip={part.Offset}", $"count={part.Length}");
        try
        {
            var header = await Tool.RunAsync("dumpe2fs", "-h", root);
            long blockSize = long.Parse(header.Split('\n').First(l => l.StartsWith("Block size:", StringComparison.Ordinal))["Block size:".Length..].Trim(),
                CultureInfo.InvariantCulture);
            var manifest = await Tool.RunAsync("debugfs", "-R", "cat /etc/kiln/boot-working-set", root);
            var files = manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.NotEmpty(files);
            var ranges = new List<Range>();
            foreach (var f in files)
            {
                var stat = await Tool.RunAsync("debugfs", "-R", $"stat /{f}", root);
                long size = long.Parse(stat.Split("Size: ")[1].Split((char[])[' ', '\t', '\n'])[0], CultureInfo.InvariantCulture);
                var blocks = (await Tool.RunAsync("debugfs", "-R", $"blocks /{f}", root))
                    .Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(b => long.Parse(b, CultureInfo.InvariantCulture)).ToList();
                Assert.True(blocks.Count > 0, $"debugfs lists no blocks for /{f}");
                for (int i = 0; i < blocks.Count; i++)
                {
                    long length = Math.Min(blockSize, size - i * blockSize);
                    if (length > 0) ranges.Add(new Range(part.Offset + blocks[i] * blockSize, length));
                }
            }
            return ranges;
        }
        finally
        {
            File.Delete(root);
        }
    }

    /// <summary>Disk byte ranges of files on the first (FAT) partition, from mshowfat's cluster chains and the boot sector's geometry.</summary>
    public static async Task<IReadOnlyList<Range>> FatFileRangesAsync(string rawImage, params string[] files)
    {
        var part = (await PartitionsAsync(rawImage))[0];
        var bpb = new byte[512];
        await using (var file = File.OpenRead(rawImage))
        {
            file.Position = part.Offset;
            await file.ReadExactlyAsync(bpb);
        }
        // FAT boot sector (BPB): bytes/sector @11, sectors/cluster @13, reserved @14, FATs @16,
        // root entries @17, FAT size (16) @22 or (32) @36.
        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(bpb.AsSpan(11));
        int sectorsPerCluster = bpb[13];
        int reserved = BinaryPrimitives.ReadUInt16LittleEndian(bpb.AsSpan(14));
        int fats = bpb[16];
        int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(bpb.AsSpan(17));
        long fatSize = BinaryPrimitives.ReadUInt16LittleEndian(bpb.AsSpan(22));
        if (fatSize == 0) fatSize = BinaryPrimitives.ReadUInt32LittleEndian(bpb.AsSpan(36));
        long rootDirSectors = (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
        long dataStart = part.Offset + (reserved + fats * fatSize + rootDirSectors) * bytesPerSector;
        long clusterBytes = (long)sectorsPerCluster * bytesPerSector;

        var ranges = new List<Range>();
        foreach (var f in files)
        {
            var output = await Tool.RunAsync("mshowfat", "-i", $"{rawImage}@@{part.Offset}", "::" + f);
            long size = await MSizeAsync(rawImage, part.Offset, f);
            long remaining = size;
            var runs = output[output.IndexOf('<', StringComparison.Ordinal)..].Trim().Trim('<', '>').Split('>', StringSplitOptions.RemoveEmptyEntries);
            foreach (var run in runs)
            {
                var bounds = run.Trim().TrimStart('<').Split('-');
                long first = long.Parse(bounds[0], CultureInfo.InvariantCulture);
                long last = bounds.Length > 1 ? long.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
                long length = Math.Min((last - first + 1) * clusterBytes, remaining);
                ranges.Add(new Range(dataStart + (first - 2) * clusterBytes, length));
                remaining -= length;
            }
            Assert.True(remaining == 0, $"{f}: the cluster chain from mshowfat covers {size - remaining} of {size} bytes");
        }
        return ranges;
    }

    private static async Task<long> MSizeAsync(string rawImage, long offset, string file)
    {
        var tmp = Path.GetTempFileName();
        try
        {
            await Tool.RunAsync("mcopy", "-o", "-n", "-i", $"{rawImage}@@{offset}", "::" + file, tmp);
            return new FileInfo(tmp).Length;
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>Fraction of the bytes of <paramref name="ranges"/> that lie inside the profile's extents.</summary>
    public static double Coverage(IReadOnlyList<Range> ranges, IReadOnlyList<long[]> extents)
    {
        var sorted = extents.Select(e => (Start: e[0], End: e[0] + e[1])).OrderBy(e => e.Start).ToArray();
        long total = 0, covered = 0;
        foreach (var r in ranges)
        {
            total += r.Length;
            // Extents never overlap, so summing intersections is exact.
            int i = Array.FindIndex(sorted, e => e.End > r.Offset);
            for (; i >= 0 && i < sorted.Length && sorted[i].Start < r.End; i++)
                covered += Math.Min(r.End, sorted[i].End) - Math.Max(r.Offset, sorted[i].Start);
        }
        return total == 0 ? 0 : (double)covered / total;
    }
}
