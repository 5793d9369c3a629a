using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>
/// The extent tree of one inode (kernel docs §4.2.2 Extent Tree), flattened into its leaf extents.
/// <code>
/// header (12): eh_magic 0xF30A | eh_entries | eh_max | eh_depth | eh_generation
/// depth 0 → ext4_extent (12):     ee_block | ee_len (>32768: unwritten) | ee_start_hi | ee_start_lo
/// depth >0 → ext4_extent_idx (12): ei_block | ei_leaf_lo | ei_leaf_hi | unused
/// </code>
/// </summary>
internal sealed class Ext4ExtentMap : IExt4BlockMap
{
    /// <summary>The kernel never builds trees deeper than 5; more is corruption (or a loop).</summary>
    public const int MaxDepth = 5;
    private const int MaxExtents = 1 << 20;
    private const ushort HeaderMagic = 0xF30A;

    private readonly List<(uint Logical, ulong Physical, int Length, bool Unwritten)> _extents = [];

    public static async Task<Ext4ExtentMap> LoadAsync(Ext4FileSystem fs, Ext4Inode inode, CancellationToken ct)
    {
        var map = new Ext4ExtentMap();
        await map.WalkAsync(fs, inode.Block, inode.Offset + 0x28, expectedDepth: null, ct).ConfigureAwait(false);
        map._extents.Sort((a, b) => a.Logical.CompareTo(b.Logical));
        for (int i = 1; i < map._extents.Count; i++)
            if ((ulong)map._extents[i - 1].Logical + (ulong)map._extents[i - 1].Length > map._extents[i].Logical)
                throw new CorruptImageException("ext4 extent tree", inode.Offset + 0x28,
                    $"inode {inode.Number}: extents overlap at logical block {map._extents[i].Logical}.");
        return map;
    }

    private async Task WalkAsync(Ext4FileSystem fs, byte[] node, long nodeOffset, int? expectedDepth, CancellationToken ct)
    {
        const string name = "ext4 extent header";
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(node);
        if (magic != HeaderMagic)
            throw new CorruptImageException(name, nodeOffset, $"eh_magic is 0x{magic:X4}, not 0xF30A.");
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(node.AsSpan(2));
        int max = BinaryPrimitives.ReadUInt16LittleEndian(node.AsSpan(4));
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(node.AsSpan(6));
        if (depth > MaxDepth)
            throw new CorruptImageException(name, nodeOffset + 6, $"eh_depth {depth} exceeds {MaxDepth}.");
        if (expectedDepth is { } d && depth != d)
            throw new CorruptImageException(name, nodeOffset + 6, $"eh_depth {depth} should be {d} (one less than its parent).");
        if (entries > max || 12 + entries * 12 > node.Length)
            throw new CorruptImageException(name, nodeOffset + 2, $"eh_entries {entries} exceeds eh_max {max} or the node ({node.Length} bytes).");
        for (int i = 0; i < entries; i++)
        {
            var e = node.AsSpan(12 + i * 12, 12);
            uint logical = BinaryPrimitives.ReadUInt32LittleEndian(e);
            if (depth == 0)
            {
                int len = BinaryPrimitives.ReadUInt16LittleEndian(e[4..]);
                bool unwritten = len > 32768;
                if (unwritten) len -= 32768;
                ulong start = (ulong)BinaryPrimitives.ReadUInt16LittleEndian(e[6..]) << 32 | BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
                if (len == 0) continue;
                if (start + (ulong)len > fs.Superblock.BlocksCount)
                    throw new CorruptImageException("ext4 extent", nodeOffset + 12 + i * 12,
                        $"blocks {start}..{start + (ulong)len - 1} lie beyond the volume ({fs.Superblock.BlocksCount} blocks).");
                if (_extents.Count >= MaxExtents)
                    throw new CorruptImageException("ext4 extent tree", nodeOffset, $"more than {MaxExtents} extents in one file.");
                _extents.Add((logical, start, len, unwritten));
            }
            else
            {
                ulong leaf = (ulong)BinaryPrimitives.ReadUInt16LittleEndian(e[8..]) << 32 | BinaryPrimitives.ReadUInt32LittleEndian(e[4..]);
                if (leaf == 0 || leaf >= fs.Superblock.BlocksCount)
                    throw new CorruptImageException("ext4 extent index", nodeOffset + 12 + i * 12,
                        $"ei_leaf {leaf} lies outside the volume ({fs.Superblock.BlocksCount} blocks).");
                var child = await fs.ReadBlockAsync("ext4 extent node", leaf, ct).ConfigureAwait(false);
                await WalkAsync(fs, child, (long)leaf * fs.Superblock.BlockSize, depth - 1, ct).ConfigureAwait(false);
            }
        }
    }

    public Task<(ulong Physical, long Count)> MapAsync(long logical, CancellationToken ct)
    {
        int lo = 0, hi = _extents.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_extents[mid].Logical <= logical) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found >= 0)
        {
            var x = _extents[found];
            long delta = logical - x.Logical;
            if (delta < x.Length)
                return Task.FromResult((x.Unwritten ? 0UL : x.Physical + (ulong)delta, x.Length - delta));
        }
        long nextStart = found + 1 < _extents.Count ? _extents[found + 1].Logical : long.MaxValue;
        return Task.FromResult((0UL, nextStart - logical));
    }
}
