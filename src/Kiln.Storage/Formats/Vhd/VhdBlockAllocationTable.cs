using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// The Block Allocation Table of a dynamic VHD (VHD Image Format Specification, "Block
/// Allocation Table and Data Blocks"): one big-endian sector number per block pointing at the
/// block's sector bitmap, 0xFFFFFFFF for a block that is not allocated (reads as zeros).
/// <code>
///  file: [footer copy][dynamic header][BAT .....][bitmap|block data][bitmap|block data]...[footer]
/// </code>
/// </summary>
internal sealed class VhdBlockAllocationTable
{
    public const uint Unallocated = uint.MaxValue;
    /// <summary>Beyond this many blocks the in-memory table would be absurd (2040 GiB in 2 MiB blocks is ~1 M).</summary>
    private const long MaxEntries = 1L << 26;

    private readonly uint[] _entries;

    private VhdBlockAllocationTable(uint[] entries) => _entries = entries;

    public int Count => _entries.Length;
    public uint this[int block] { get => _entries[block]; set => _entries[block] = value; }

    /// <summary>
    /// Reads and checks <paramref name="count"/> entries: every allocated block must lie inside the
    /// file and clear of the <paramref name="metadata"/> ranges (footer copy, dynamic header, BAT).
    /// </summary>
    public static async Task<VhdBlockAllocationTable> ReadAsync(ImageFile file, long tableOffset, long count, long blockSpan,
        IReadOnlyList<Extent> metadata, CancellationToken ct)
    {
        const string s = "VHD block allocation table";
        if (count > MaxEntries)
            throw new CorruptImageException(s, tableOffset, $"{count} entries is more than Kiln maps ({MaxEntries}); the block size is absurdly small for the disk size.");
        var raw = new byte[count * 4];
        await file.ReadExactAsync(tableOffset, raw, ct).ConfigureAwait(false);
        long fileLength = file.Length;
        var entries = new uint[count];
        for (int i = 0; i < entries.Length; i++)
        {
            uint e = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(i * 4));
            if (e != Unallocated)
            {
                long start = (long)e * 512;
                var block = new Extent(start, blockSpan);
                if (start + blockSpan > fileLength)
                    throw new CorruptImageException(s, tableOffset + i * 4L,
                        $"entry {i} points at sector {e} (byte {start}): block {block} runs past the end of the {fileLength}-byte file.");
                foreach (var m in metadata)
                    if (block.Overlaps(m))
                        throw new CorruptImageException(s, tableOffset + i * 4L,
                            $"entry {i} points at sector {e} (byte {start}): block {block} overlaps the VHD's own metadata at {m}.");
            }
            entries[i] = e;
        }
        return new VhdBlockAllocationTable(entries);
    }

    /// <summary>The first byte after every allocated block (where the next block goes).</summary>
    public long EndOfBlocks(long blockSpan, long metadataEnd)
    {
        long end = metadataEnd;
        foreach (var e in _entries)
            if (e != Unallocated) end = Math.Max(end, (long)e * 512 + blockSpan);
        return end;
    }

    /// <summary>An on-disk table of <paramref name="count"/> unallocated entries, padded to whole sectors with 0xFF.</summary>
    public static byte[] EmptyOnDisk(long count)
    {
        var raw = new byte[(count * 4 + 511) / 512 * 512];
        raw.AsSpan().Fill(0xFF);
        return raw;
    }
}
