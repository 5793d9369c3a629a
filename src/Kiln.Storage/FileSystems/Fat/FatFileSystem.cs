using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Fat;

/// <summary>
/// Read-only FAT12/16/32 with long file names (what an EFI system partition is). Names compare
/// case-insensitively. Cluster chains are bounded by the volume's cluster count and checked for
/// loops, so a hostile FAT ends in a <see cref="CorruptImageException"/>. Does not own the device.
/// </summary>
public sealed class FatFileSystem : TreeFileSystem<FatNode>
{
    private const long MaxFatBytes = 256L << 20;
    private readonly IBlockDevice _device;
    private readonly byte[] _fat;
    private readonly FatNode _root;

    private FatFileSystem(IBlockDevice device, FatBootSector bootSector, byte[] fat)
    {
        _device = device;
        BootSector = bootSector;
        _fat = fat;
        _root = bootSector.FatBits == 32
            ? new FatNode("/", true, bootSector.RootCluster, 0, false, 0)
            : new FatNode("/", true, 0, (long)bootSector.RootEntryCount * 32, true, bootSector.RootDirSector * bootSector.BytesPerSector);
    }

    public FatBootSector BootSector { get; }
    public override string Type => $"fat{BootSector.FatBits}";
    public override string Label => BootSector.VolumeLabel;
    protected override FatNode Root => _root;
    protected override StringComparison NameComparison => StringComparison.OrdinalIgnoreCase;
    private uint MaxCluster => (uint)(BootSector.ClusterCount + 1);

    public static async Task<bool> ProbeAsync(IBlockDevice device, CancellationToken ct = default)
    {
        if (device.Length < 512) return false;
        return FatBootSector.Looks(await device.ReadBytesAsync(0, 512, ct).ConfigureAwait(false));
    }

    public static async Task<FatFileSystem> OpenAsync(IBlockDevice device, CancellationToken ct = default)
    {
        if (device.Length < 512) throw new CorruptImageException("FAT boot sector", 0, $"the volume ({device.Length} bytes) is too small.");
        var bs = FatBootSector.Parse(await device.ReadBytesAsync(0, 512, ct).ConfigureAwait(false), device.Length);
        long fatBytes = bs.FatSizeSectors * bs.BytesPerSector;
        if (fatBytes > MaxFatBytes)
            throw new CorruptImageException("FAT boot sector", 0x24, $"a FAT of {fatBytes} bytes is larger than the {MaxFatBytes} bytes accepted.");
        var fat = await ReadDeviceAsync(device, "FAT", bs.FirstFatSector * bs.BytesPerSector, (int)fatBytes, ct).ConfigureAwait(false);
        return new FatFileSystem(device, bs, fat);
    }

    /// <summary>FAT entry of <paramref name="cluster"/> (FAT spec §4): 12-bit packed, 16-bit, or 28 bits of 32.</summary>
    private uint Next(uint cluster)
    {
        switch (BootSector.FatBits)
        {
            case 12:
                int o = (int)(cluster + cluster / 2);
                uint v = BinaryPrimitives.ReadUInt16LittleEndian(_fat.AsSpan(o));
                return (cluster & 1) != 0 ? v >> 4 : v & 0xFFF;
            case 16:
                return BinaryPrimitives.ReadUInt16LittleEndian(_fat.AsSpan((int)cluster * 2));
            default:
                return BinaryPrimitives.ReadUInt32LittleEndian(_fat.AsSpan((int)cluster * 4)) & 0x0FFFFFFF;
        }
    }

    private bool IsEndOfChain(uint value) => BootSector.FatBits switch
    {
        12 => value >= 0xFF8,
        16 => value >= 0xFFF8,
        _ => value >= 0x0FFFFFF8,
    };

    /// <summary>
    /// The cluster chain from <paramref name="first"/>: at most <paramref name="needed"/> clusters
    /// (or to the end mark when null). Loops, free or out-of-range links and short chains are corruption.
    /// </summary>
    private List<uint> Chain(FatNode node, long? needed)
    {
        var chain = new List<uint>();
        var seen = new HashSet<uint>();
        uint c = node.FirstCluster;
        long limit = needed ?? BootSector.ClusterCount;
        while (chain.Count < limit)
        {
            if (c < 2 || c > MaxCluster)
                throw new CorruptImageException("FAT cluster chain", BootSector.FirstFatSector * BootSector.BytesPerSector,
                    $"'{node.Name}' (entry at {node.EntryOffset}): link to cluster {c} after {chain.Count} clusters is not a data cluster (2..{MaxCluster}).");
            if (!seen.Add(c))
                throw new CorruptImageException("FAT cluster chain", BootSector.FirstFatSector * BootSector.BytesPerSector,
                    $"'{node.Name}' (entry at {node.EntryOffset}): the chain loops back to cluster {c} after {chain.Count} clusters.");
            chain.Add(c);
            uint next = Next(c);
            if (IsEndOfChain(next))
            {
                if (needed is { } n && chain.Count < n)
                    throw new CorruptImageException("FAT cluster chain", BootSector.FirstFatSector * BootSector.BytesPerSector,
                        $"'{node.Name}' (entry at {node.EntryOffset}): the chain ends after {chain.Count} clusters but the size needs {n}.");
                return chain;
            }
            c = next;
        }
        if (needed is null)
            throw new CorruptImageException("FAT cluster chain", BootSector.FirstFatSector * BootSector.BytesPerSector,
                $"'{node.Name}': the chain is longer than the volume's {BootSector.ClusterCount} clusters (a loop).");
        return chain;
    }

    protected override FileSystemEntry Describe(FatNode node, string name) =>
        new(name, node.IsDirectory ? FileSystemEntryKind.Directory : FileSystemEntryKind.File, node.Size, node.FirstCluster);

    protected override async Task<IReadOnlyList<(string Name, FatNode Node)>> ReadDirectoryAsync(FatNode directory, CancellationToken ct)
    {
        byte[] data;
        Func<int, long> offsetOf;
        if (directory.IsFixedRoot)
        {
            data = await ReadDeviceAsync(_device, "FAT root directory", directory.EntryOffset, (int)directory.Size, ct).ConfigureAwait(false);
            offsetOf = pos => directory.EntryOffset + pos;
        }
        else
        {
            var chain = Chain(directory, needed: null);
            // FAT spec §6: a directory holds at most 65536 entries (2 MiB).
            if ((long)chain.Count * BootSector.ClusterSize > 65536 * 32 + BootSector.ClusterSize)
                throw new CorruptImageException("FAT directory", BootSector.ClusterOffset(chain[0]),
                    $"'{directory.Name}' spans {chain.Count} clusters, more than 65536 entries.");
            data = new byte[chain.Count * BootSector.ClusterSize];
            for (int i = 0; i < chain.Count; i++)
                await ReadClusterAsync(chain[i], data.AsMemory(i * BootSector.ClusterSize, BootSector.ClusterSize), ct).ConfigureAwait(false);
            offsetOf = pos => BootSector.ClusterOffset(chain[pos / BootSector.ClusterSize]) + pos % BootSector.ClusterSize;
        }
        return FatDirectoryParser.Parse(data, offsetOf, MaxCluster).Select(n => (n.Name, n)).ToList();
    }

    private async Task ReadClusterAsync(uint cluster, Memory<byte> buffer, CancellationToken ct)
    {
        long at = BootSector.ClusterOffset(cluster);
        if (at < 0 || at > _device.Length - buffer.Length)
            throw new CorruptImageException("FAT cluster", at, $"cluster {cluster} lies outside the volume.");
        await _device.ReadAsync(at, buffer, ct).ConfigureAwait(false);
    }

    protected override async Task<int> ReadAsync(FatNode file, long offset, Memory<byte> buffer, CancellationToken ct)
    {
        if (offset >= file.Size || file.Size == 0) return 0;
        int total = (int)Math.Min(buffer.Length, file.Size - offset);
        int cs = BootSector.ClusterSize;
        long needed = (offset + total + cs - 1) / cs;
        var chain = Chain(file, needed);
        int done = 0;
        while (done < total)
        {
            long pos = offset + done;
            int index = (int)(pos / cs), inCluster = (int)(pos % cs);
            // Merge physically consecutive clusters into one read.
            int run = 1;
            while (index + run < chain.Count && chain[index + run] == chain[index] + run) run++;
            int n = (int)Math.Min((long)run * cs - inCluster, total - done);
            long at = BootSector.ClusterOffset(chain[index]) + inCluster;
            if (at < 0 || at > _device.Length - n)
                throw new CorruptImageException("FAT cluster", at, $"'{file.Name}': cluster {chain[index]} lies outside the volume.");
            await _device.ReadAsync(at, buffer.Slice(done, n), ct).ConfigureAwait(false);
            done += n;
        }
        return total;
    }
}
