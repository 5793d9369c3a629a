using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>
/// ext2/ext3 block map (kernel docs §4.2.1 Direct/Indirect Block Addressing): i_block[0..11] point
/// at data, [12] at a block of pointers, [13] two levels, [14] three levels. Pointer 0 is a hole.
/// </summary>
internal sealed class Ext4IndirectMap(Ext4FileSystem fs, Ext4Inode inode) : IExt4BlockMap
{
    private readonly Dictionary<uint, uint[]> _cache = new();

    public async Task<(ulong Physical, long Count)> MapAsync(long logical, CancellationToken ct)
    {
        long per = fs.Superblock.BlockSize / 4;
        uint Direct(int i) => BinaryPrimitives.ReadUInt32LittleEndian(inode.Block.AsSpan(i * 4));
        uint p;
        long l = logical;
        if (l < 12) p = Direct((int)l);
        else if ((l -= 12) < per) p = await LevelAsync(Direct(12), [l], ct).ConfigureAwait(false);
        else if ((l -= per) < per * per) p = await LevelAsync(Direct(13), [l / per, l % per], ct).ConfigureAwait(false);
        else if ((l -= per * per) < per * per * per) p = await LevelAsync(Direct(14), [l / (per * per), l / per % per, l % per], ct).ConfigureAwait(false);
        else throw new CorruptImageException("ext block map", inode.Offset + 0x28, $"inode {inode.Number}: logical block {logical} is beyond what a block map can address.");
        if (p >= fs.Superblock.BlocksCount)
            throw new CorruptImageException("ext block map", inode.Offset + 0x28, $"inode {inode.Number}: block {logical} maps to {p}, beyond the volume ({fs.Superblock.BlocksCount} blocks).");
        return (p, 1);
    }

    private async Task<uint> LevelAsync(uint block, long[] path, CancellationToken ct)
    {
        foreach (long index in path)
        {
            if (block == 0) return 0; // a hole anywhere up the tree
            if (block >= fs.Superblock.BlocksCount)
                throw new CorruptImageException("ext indirect block", (long)block * fs.Superblock.BlockSize,
                    $"inode {inode.Number}: indirect block {block} lies beyond the volume.");
            if (!_cache.TryGetValue(block, out var pointers))
            {
                var raw = await fs.ReadBlockAsync("ext indirect block", block, ct).ConfigureAwait(false);
                pointers = new uint[raw.Length / 4];
                for (int i = 0; i < pointers.Length; i++) pointers[i] = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(i * 4));
                if (_cache.Count > 256) _cache.Clear();
                _cache[block] = pointers;
            }
            block = pointers[index];
        }
        return block;
    }
}
