using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>
/// Read-only ext2/ext3/ext4 (kernel docs "ext4 Data Structures and Algorithms"): superblock,
/// 32/64-bit group descriptors, inodes, extent trees and block maps, linear (and htree)
/// directories, fast and slow symlinks. Does not own the device.
/// </summary>
public sealed class Ext4FileSystem : TreeFileSystem<Ext4Inode>
{
    private const uint RootInode = 2;
    private readonly IBlockDevice _device;
    private Ext4Inode _root = null!;

    private Ext4FileSystem(IBlockDevice device, Ext4Superblock superblock)
    {
        _device = device;
        Superblock = superblock;
    }

    public Ext4Superblock Superblock { get; }
    public override string Type => Superblock.FileSystemType;
    public override string Label => Superblock.VolumeName;
    protected override Ext4Inode Root => _root;

    /// <summary>True when the volume starts with an ext superblock magic (cheap probe).</summary>
    public static async Task<bool> ProbeAsync(IBlockDevice device, CancellationToken ct = default)
    {
        if (device.Length < Ext4Superblock.Offset + Ext4Superblock.Size) return false;
        var sb = await device.ReadBytesAsync(Ext4Superblock.Offset, Ext4Superblock.Size, ct).ConfigureAwait(false);
        return Ext4Superblock.HasMagic(sb);
    }

    public static async Task<Ext4FileSystem> OpenAsync(IBlockDevice device, CancellationToken ct = default)
    {
        if (device.Length < Ext4Superblock.Offset + Ext4Superblock.Size)
            throw new CorruptImageException("ext superblock", Ext4Superblock.Offset, $"the volume ({device.Length} bytes) is too small to hold one.");
        var raw = await device.ReadBytesAsync(Ext4Superblock.Offset, Ext4Superblock.Size, ct).ConfigureAwait(false);
        var sb = Ext4Superblock.Parse(raw, device.Length);
        if ((sb.FeatureIncompat & Ext4Superblock.IncompatEncrypt) != 0)
            throw new NotSupportedException("ext4: the volume uses the 'encrypt' feature; encrypted directories cannot be inspected.");
        if (sb.BlocksCount > (ulong)(device.Length / sb.BlockSize))
            throw new CorruptImageException("ext superblock", Ext4Superblock.Offset + 0x04,
                $"s_blocks_count {sb.BlocksCount} × {sb.BlockSize} bytes is larger than the volume ({device.Length} bytes): the image is truncated.");
        if ((ulong)sb.InodesCount > (ulong)sb.GroupCount * sb.InodesPerGroup)
            throw new CorruptImageException("ext superblock", Ext4Superblock.Offset, $"s_inodes_count {sb.InodesCount} exceeds groups × s_inodes_per_group.");
        var fs = new Ext4FileSystem(device, sb);
        fs._root = await fs.ReadInodeAsync(RootInode, ct).ConfigureAwait(false);
        if (!fs._root.IsDirectory)
            throw new CorruptImageException("ext inode", fs._root.Offset, $"the root inode (2) has mode 0x{fs._root.Mode:X4}, not a directory.");
        return fs;
    }

    internal async Task<byte[]> ReadBlockAsync(string structure, ulong block, CancellationToken ct)
    {
        if (block >= Superblock.BlocksCount)
            throw new CorruptImageException(structure, block > (ulong)(long.MaxValue / Superblock.BlockSize) ? -1 : (long)block * Superblock.BlockSize,
                $"block {block} lies beyond the volume ({Superblock.BlocksCount} blocks).");
        return await ReadDeviceAsync(_device, structure, (long)block * Superblock.BlockSize, Superblock.BlockSize, ct).ConfigureAwait(false);
    }

    /// <summary>Reads inode <paramref name="number"/> through its group descriptor (§4.1.2 Block Group Descriptors).</summary>
    public async Task<Ext4Inode> ReadInodeAsync(uint number, CancellationToken ct = default)
    {
        var sb = Superblock;
        if (number < 1 || number > sb.InodesCount)
            throw new CorruptImageException("ext inode", 0, $"inode number {number} is outside 1..{sb.InodesCount}.");
        long group = (number - 1) / sb.InodesPerGroup;
        long index = (number - 1) % sb.InodesPerGroup;
        long descOffset = DescriptorOffset(group);
        var desc = await ReadDeviceAsync(_device, "ext group descriptor", descOffset, sb.DescriptorSize, ct).ConfigureAwait(false);
        ulong table = BinaryPrimitives.ReadUInt32LittleEndian(desc.AsSpan(0x08));
        if (sb.Is64Bit && sb.DescriptorSize >= 64) table |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(desc.AsSpan(0x28)) << 32;
        ulong tableBlocks = ((ulong)sb.InodesPerGroup * (ulong)sb.InodeSize + (ulong)sb.BlockSize - 1) / (ulong)sb.BlockSize;
        if (table == 0 || table >= sb.BlocksCount || tableBlocks > sb.BlocksCount - table)
            throw new CorruptImageException("ext group descriptor", descOffset + 0x08,
                $"group {group}: bg_inode_table {table} (+{tableBlocks} blocks) lies outside the volume ({sb.BlocksCount} blocks).");
        long offset = (long)table * sb.BlockSize + index * sb.InodeSize;
        var raw = await ReadDeviceAsync(_device, "ext inode", offset, Math.Min(sb.InodeSize, 256), ct).ConfigureAwait(false);
        if (raw.Length < 128) throw new CorruptImageException("ext inode", offset, "shorter than 128 bytes.");
        var padded = raw.Length >= 0x70 ? raw : [.. raw, .. new byte[0x70 - raw.Length]];
        return Ext4Inode.Parse(number, offset, padded);
    }

    /// <summary>
    /// Where group <paramref name="group"/>'s descriptor lives (§4.1.2 and "Meta Block Groups"):
    /// one table after the superblock, or, for meta_bg groups past s_first_meta_bg, one descriptor
    /// block at the start of each meta group (after that group's superblock copy, if it has one).
    /// </summary>
    private long DescriptorOffset(long group)
    {
        var sb = Superblock;
        long perBlock = sb.BlockSize / sb.DescriptorSize;
        long metaGroup = group / perBlock;
        if ((sb.FeatureIncompat & Ext4Superblock.IncompatMetaBg) == 0 || metaGroup < sb.FirstMetaBg)
            return (long)(sb.FirstDataBlock + 1) * sb.BlockSize + group * sb.DescriptorSize;
        long first = metaGroup * perBlock;
        long block = sb.FirstDataBlock + first * sb.BlocksPerGroup + (HasSuperblockCopy(first) ? 1 : 0);
        return block * sb.BlockSize + group % perBlock * sb.DescriptorSize;
    }

    /// <summary>With sparse_super only groups 0, 1 and powers of 3, 5 and 7 keep a superblock copy.</summary>
    private bool HasSuperblockCopy(long group)
    {
        if (group <= 1 || (Superblock.FeatureRoCompat & 0x1) == 0) return true;
        foreach (long b in new long[] { 3, 5, 7 })
        {
            long p = b;
            while (p < group) p *= b;
            if (p == group) return true;
        }
        return false;
    }

    protected override FileSystemEntry Describe(Ext4Inode node, string name) => new(name, node.Kind, node.Size, node.Number);

    /// <summary>A directory's (name, inode number) entries, without loading the inodes.</summary>
    private async Task<List<(string Name, uint Inode)>> EntriesAsync(Ext4Inode directory, CancellationToken ct)
    {
        if (directory.Size > FileSystemLimits.DefaultMaxFileBytes)
            throw new CorruptImageException("ext inode", directory.Offset + 4, $"directory inode {directory.Number} claims {directory.Size} bytes.");
        if (directory.HasInlineData)
            throw new NotSupportedException($"ext4: directory inode {directory.Number} keeps its entries inline (inline_data), which is not supported.");
        var data = new byte[directory.Size];
        int n = await ReadAsync(directory, 0, data, ct).ConfigureAwait(false);
        return Ext4DirectoryParser.Parse(data[..n], Superblock.BlockSize, Superblock.HasFileType, Superblock.InodesCount, directory.Offset, directory.Number);
    }

    protected override async Task<IReadOnlyList<(string Name, Ext4Inode Node)>> ReadDirectoryAsync(Ext4Inode directory, CancellationToken ct)
    {
        var entries = await EntriesAsync(directory, ct).ConfigureAwait(false);
        var result = new List<(string, Ext4Inode)>(entries.Count);
        foreach (var (name, ino) in entries)
            result.Add((name, await ReadInodeAsync(ino, ct).ConfigureAwait(false)));
        return result;
    }

    protected override async Task<Ext4Inode?> LookupAsync(Ext4Inode directory, string name, CancellationToken ct)
    {
        foreach (var (entryName, ino) in await EntriesAsync(directory, ct).ConfigureAwait(false))
            if (entryName == name) return await ReadInodeAsync(ino, ct).ConfigureAwait(false);
        return null;
    }

    protected override async Task<string> ReadLinkAsync(Ext4Inode link, CancellationToken ct)
    {
        if (link.Size > 4096)
            throw new CorruptImageException("ext inode", link.Offset + 4, $"symlink inode {link.Number} claims a {link.Size}-byte target (PATH_MAX is 4096).");
        // Fast symlink: the target sits in i_block (under 60 bytes, no extents, no inline-data flag needed).
        if (!link.UsesExtents && link.Size < 60)
            return Encoding.UTF8.GetString(link.Block, 0, (int)link.Size);
        var data = new byte[link.Size];
        int n = await ReadAsync(link, 0, data, ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(data, 0, n);
    }

    protected override async Task<int> ReadAsync(Ext4Inode file, long offset, Memory<byte> buffer, CancellationToken ct)
    {
        if (offset >= file.Size) return 0;
        int total = (int)Math.Min(buffer.Length, file.Size - offset);
        if (file.HasInlineData)
        {
            if (file.Size > 60)
                throw new NotSupportedException($"ext4: inode {file.Number} keeps {file.Size} bytes inline (system.data xattr), which is not supported.");
            file.Block.AsMemory((int)offset, total).CopyTo(buffer);
            return total;
        }
        IExt4BlockMap map = file.UsesExtents
            ? await Ext4ExtentMap.LoadAsync(this, file, ct).ConfigureAwait(false)
            : new Ext4IndirectMap(this, file);
        int bs = Superblock.BlockSize;
        int done = 0;
        while (done < total)
        {
            long pos = offset + done;
            long logical = pos / bs;
            int inBlock = (int)(pos % bs);
            var (physical, count) = await map.MapAsync(logical, ct).ConfigureAwait(false);
            long runBytes = Math.Min(count, (long)int.MaxValue / bs) * bs - inBlock;
            int n = (int)Math.Min(runBytes, total - done);
            var slice = buffer.Slice(done, n);
            if (physical == 0) slice.Span.Clear();
            else
            {
                long at = (long)physical * bs + inBlock;
                if (at < 0 || at > _device.Length - n)
                    throw new CorruptImageException("ext file data", at, $"inode {file.Number}: data block {physical} lies outside the volume.");
                await _device.ReadAsync(at, slice, ct).ConfigureAwait(false);
            }
            done += n;
        }
        return total;
    }
}
