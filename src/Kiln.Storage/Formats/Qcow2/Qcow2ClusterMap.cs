using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>What a guest cluster maps to (QEMU docs/interop/qcow2.txt, "Cluster mapping").</summary>
internal enum Qcow2ClusterKind { Unallocated, Zero, Data, Compressed }

/// <param name="HostOffset">Data: cluster start in the file. Compressed: byte where the deflate stream starts.</param>
/// <param name="CompressedLength">Compressed: the most bytes the stream may span.</param>
internal readonly record struct Qcow2Cluster(Qcow2ClusterKind Kind, long HostOffset, int CompressedLength);

/// <summary>
/// The two-level cluster map of a qcow2 image: an L1 table (kept in memory) of L2 tables (read on
/// demand, a bounded number cached). Every entry is checked against the file before it is used.
/// <code>
///  guest offset → [L1 index | L2 index | offset in cluster]
///  L1 entry: bits 9-55 L2 table offset         L2 entry, standard: bits 9-55 cluster offset, bit 0 reads-as-zero
///  L2 entry, bit 62 set (compressed): low x = 62 - (cluster_bits - 8) bits host offset, next bits: extra 512-byte sectors
/// </code>
/// </summary>
internal sealed class Qcow2ClusterMap
{
    private const ulong OffsetMask = 0x00FF_FFFF_FFFF_FE00;
    private const ulong CompressedFlag = 1UL << 62;
    private const ulong ZeroFlag = 1;
    /// <summary>Memory the L2 cache may hold (one table is one cluster: 64 KiB usually, up to 2 MiB).</summary>
    private const long MaxCachedBytes = 32L * 1024 * 1024;

    private readonly ImageFile _file;
    private readonly ulong[] _l1;
    private readonly Dictionary<long, ulong[]> _l2Cache = new();
    private readonly Lock _lock = new();
    private readonly int _clusterBits;
    private readonly long _fileLength;
    private readonly long _l1TableOffset;

    private Qcow2ClusterMap(ImageFile file, Qcow2Header header, ulong[] l1)
    {
        _file = file;
        _l1 = l1;
        _l1TableOffset = header.L1TableOffset;
        _clusterBits = header.ClusterBits;
        _fileLength = file.Length;
    }

    public long ClusterSize => 1L << _clusterBits;
    private int L2Entries => 1 << (_clusterBits - 3);

    public static async Task<Qcow2ClusterMap> LoadAsync(ImageFile file, Qcow2Header header, CancellationToken ct)
    {
        var raw = new byte[header.L1Size * 8L];
        await file.ReadExactAsync(header.L1TableOffset, raw, ct).ConfigureAwait(false);
        var l1 = new ulong[header.L1Size];
        for (int i = 0; i < l1.Length; i++) l1[i] = BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(i * 8));
        return new Qcow2ClusterMap(file, header, l1) { L1TableOffset = header.L1TableOffset };
    }

    private long L1TableOffset { get; init; }

    /// <summary>Maps the guest cluster number <paramref name="cluster"/>.</summary>
    public async ValueTask<Qcow2Cluster> LookupAsync(long cluster, CancellationToken ct)
    {
        long l1Index = cluster / L2Entries;
        int l2Index = (int)(cluster % L2Entries);
        if (l1Index >= _l1.Length) return default; // beyond the map: unallocated
        var table = await GetL2Async((int)l1Index, ct).ConfigureAwait(false);
        return table is null ? default : Decode(table[l2Index], TableOffset((int)l1Index) + l2Index * 8L);
    }

    /// <summary>The L2 table under L1 entry <paramref name="l1Index"/>, or null when that whole range is unallocated.</summary>
    public async ValueTask<ulong[]?> GetL2Async(int l1Index, CancellationToken ct)
    {
        long offset = TableOffset(l1Index);
        if (offset == 0) return null;
        lock (_lock)
            if (_l2Cache.TryGetValue(offset, out var cached)) return cached;
        var raw = new byte[ClusterSize];
        await _file.ReadExactAsync(offset, raw, ct).ConfigureAwait(false);
        var table = new ulong[L2Entries];
        for (int i = 0; i < table.Length; i++) table[i] = BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(i * 8));
        lock (_lock)
        {
            if (_l2Cache.Count >= Math.Max(4, MaxCachedBytes / ClusterSize)) _l2Cache.Clear();
            _l2Cache[offset] = table;
        }
        return table;
    }

    public int L1Count => _l1.Length;
    public int EntriesPerL2 => L2Entries;

    private long TableOffset(int l1Index)
    {
        long offset = (long)(_l1[l1Index] & OffsetMask);
        if (offset == 0) return 0;
        if ((offset & (ClusterSize - 1)) != 0 || offset > _fileLength - ClusterSize)
            throw new CorruptImageException("qcow2 L1 table", _l1TableOffset + l1Index * 8L,
                $"entry {l1Index} points at L2 table offset {offset}, which is not cluster aligned or lies outside the {_fileLength}-byte file.");
        return offset;
    }

    /// <summary>Decodes one L2 entry found at file offset <paramref name="entryOffset"/> (for the error message).</summary>
    public Qcow2Cluster Decode(ulong entry, long entryOffset)
    {
        const string s = "qcow2 L2 table";
        if ((entry & CompressedFlag) != 0)
        {
            int x = 62 - (_clusterBits - 8);
            long host = (long)(entry & ((1UL << x) - 1));
            long sectors = (long)((entry >> x) & ((1UL << (_clusterBits - 8)) - 1)) + 1;
            long length = sectors * 512 - (host & 511);
            if (host < 512 || host >= _fileLength)
                throw new CorruptImageException(s, entryOffset, $"compressed cluster at offset {host} lies outside the {_fileLength}-byte file.");
            return new Qcow2Cluster(Qcow2ClusterKind.Compressed, host, (int)Math.Min(length, _fileLength - host));
        }
        if ((entry & ZeroFlag) != 0) return new Qcow2Cluster(Qcow2ClusterKind.Zero, 0, 0);
        long offset = (long)(entry & OffsetMask);
        if (offset == 0) return default;
        if ((offset & (ClusterSize - 1)) != 0 || offset >= _fileLength)
            throw new CorruptImageException(s, entryOffset, $"data cluster offset {offset} is not cluster aligned or lies outside the {_fileLength}-byte file.");
        return new Qcow2Cluster(Qcow2ClusterKind.Data, offset, 0);
    }

    /// <summary>File offset of entry <paramref name="l2Index"/> of the L2 table under <paramref name="l1Index"/> (for errors).</summary>
    public long EntryOffset(int l1Index, int l2Index) => TableOffset(l1Index) + l2Index * 8L;
}
