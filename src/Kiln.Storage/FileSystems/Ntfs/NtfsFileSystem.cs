using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// Read-only NTFS, enough to inspect a Windows image: boot sector, MFT records with fixups,
/// attribute lists, resident and non-resident $DATA, and $I30 directory indexes
/// ($INDEX_ROOT + $INDEX_ALLOCATION) walked as a bounded tree. Names compare case-insensitively
/// (ordinal upper-casing, which matches $UpCase for the names Windows ships). Does not own the device.
/// </summary>
public sealed class NtfsFileSystem : TreeFileSystem<NtfsNode>
{
    private const ulong RootRecord = 5, VolumeRecord = 3;
    private const int MaxExtensionRecords = 256;
    private const int MaxIndexDepth = 32;
    private readonly IBlockDevice _device;
    private NtfsStream _mft = null!;
    private NtfsNode _root = null!;
    private string _label = "";

    private NtfsFileSystem(IBlockDevice device, NtfsBootSector bootSector)
    {
        _device = device;
        BootSector = bootSector;
    }

    public NtfsBootSector BootSector { get; }
    public override string Type => "ntfs";
    public override string Label => _label;
    protected override NtfsNode Root => _root;
    protected override StringComparison NameComparison => StringComparison.OrdinalIgnoreCase;
    private long ClusterCount => BootSector.TotalSectors * BootSector.BytesPerSector / BootSector.ClusterSize;

    public static async Task<bool> ProbeAsync(IBlockDevice device, CancellationToken ct = default) =>
        device.Length >= 512 && NtfsBootSector.Looks(await device.ReadBytesAsync(0, 512, ct).ConfigureAwait(false));

    public static async Task<NtfsFileSystem> OpenAsync(IBlockDevice device, CancellationToken ct = default)
    {
        if (device.Length < 512) throw new CorruptImageException("NTFS boot sector", 0, $"the volume ({device.Length} bytes) is too small.");
        var bs = NtfsBootSector.Parse(await device.ReadBytesAsync(0, 512, ct).ConfigureAwait(false), device.Length);
        var fs = new NtfsFileSystem(device, bs);

        // Bootstrap: $MFT's own record sits at the $MFT LCN; its $DATA says where every other record is.
        long mftOffset = bs.MftLcn * bs.ClusterSize;
        var raw = await ReadDeviceAsync(device, "NTFS MFT record", mftOffset, bs.MftRecordSize, ct).ConfigureAwait(false);
        var mftRecord = NtfsFileRecord.Parse(raw, 0, mftOffset, fs.ClusterCount);
        var pieces = mftRecord.Attributes.Where(a => a.Type == NtfsAttribute.Data && a.Name.Length == 0).ToList();
        if (pieces.Count == 0)
            throw new CorruptImageException("NTFS MFT record", mftOffset, "record 0 ($MFT) has no $DATA attribute.");
        fs._mft = new NtfsStream(device, bs.ClusterSize, pieces, "$MFT", partial: true);
        if (mftRecord.Attributes.Any(a => a.Type == NtfsAttribute.AttributeList))
        {
            // A fragmented $MFT continues its $DATA in extension records, found through the first extent.
            var all = await fs.ExpandAttributeListAsync(mftRecord, ct).ConfigureAwait(false);
            fs._mft = new NtfsStream(device, bs.ClusterSize, all.Where(a => a.Type == NtfsAttribute.Data && a.Name.Length == 0).ToList(), "$MFT");
        }

        var rootRecord = await fs.ReadRecordAsync(RootRecord, ct).ConfigureAwait(false);
        if (!rootRecord.IsDirectory)
            throw new CorruptImageException("NTFS MFT record", 0, "record 5 (the root directory) is not a directory.");
        fs._root = new NtfsNode(RootRecord, "/", true, 0);
        fs._label = await fs.ReadVolumeNameAsync(ct).ConfigureAwait(false);
        return fs;
    }

    private async Task<string> ReadVolumeNameAsync(CancellationToken ct)
    {
        var volume = await ReadRecordAsync(VolumeRecord, ct).ConfigureAwait(false);
        var name = volume.Attributes.FirstOrDefault(a => a.Type == NtfsAttribute.VolumeName && a.IsResident);
        return name?.ResidentValue is { } v ? Encoding.Unicode.GetString(v) : "";
    }

    public async Task<NtfsFileRecord> ReadRecordAsync(ulong number, CancellationToken ct = default)
    {
        int size = BootSector.MftRecordSize;
        if (number >= (ulong)(_mft.Length / size))
            throw new CorruptImageException("NTFS MFT record", 0, $"record {number} is beyond the end of $MFT ({_mft.Length / size} records).");
        var raw = new byte[size];
        int n = await _mft.ReadAsync((long)number * size, raw, ct).ConfigureAwait(false);
        if (n != size) throw new CorruptImageException("NTFS MFT record", 0, $"record {number} is truncated.");
        return NtfsFileRecord.Parse(raw, number, (long)number * size, ClusterCount);
    }

    /// <summary>A record's attributes, with those that an $ATTRIBUTE_LIST places in extension records pulled in.</summary>
    private async Task<List<NtfsAttribute>> AttributesAsync(ulong number, CancellationToken ct)
    {
        var record = await ReadRecordAsync(number, ct).ConfigureAwait(false);
        if (!record.InUse)
            throw new CorruptImageException("NTFS MFT record", (long)number * BootSector.MftRecordSize, $"record {number} is referenced but not in use.");
        return record.Attributes.Any(a => a.Type == NtfsAttribute.AttributeList)
            ? await ExpandAttributeListAsync(record, ct).ConfigureAwait(false)
            : record.Attributes;
    }

    /// <summary>
    /// $ATTRIBUTE_LIST (type 0x20) entries: 0x00 type, 0x04 entry length, 0x06 name length, 0x07 name
    /// offset, 0x08 starting VCN, 0x10 reference of the record holding the attribute, 0x18 id.
    /// </summary>
    private async Task<List<NtfsAttribute>> ExpandAttributeListAsync(NtfsFileRecord record, CancellationToken ct)
    {
        var listAttr = record.Attributes.First(a => a.Type == NtfsAttribute.AttributeList);
        byte[] list;
        if (listAttr.IsResident) list = listAttr.ResidentValue!;
        else
        {
            if (listAttr.DataSize > 1 << 20)
                throw new CorruptImageException("NTFS attribute list", 0, $"record {record.Number}: a {listAttr.DataSize}-byte attribute list is absurd.");
            var stream = new NtfsStream(_device, BootSector.ClusterSize, [listAttr], "$ATTRIBUTE_LIST");
            list = new byte[stream.Length];
            await stream.ReadAsync(0, list, ct).ConfigureAwait(false);
        }
        var others = new SortedSet<ulong>();
        for (int pos = 0; pos + 0x1A <= list.Length;)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(list.AsSpan(pos + 4));
            if (len < 0x1A || pos + len > list.Length)
                throw new CorruptImageException("NTFS attribute list", pos, $"record {record.Number}: entry length {len} does not fit the list.");
            ulong holder = BinaryPrimitives.ReadUInt64LittleEndian(list.AsSpan(pos + 0x10)) & 0xFFFFFFFFFFFF;
            if (holder != record.Number) others.Add(holder);
            if (others.Count > MaxExtensionRecords)
                throw new CorruptImageException("NTFS attribute list", pos, $"record {record.Number}: more than {MaxExtensionRecords} extension records.");
            pos += len;
        }
        var result = record.Attributes.Where(a => a.Type != NtfsAttribute.AttributeList).ToList();
        foreach (var number in others)
        {
            var ext = await ReadRecordAsync(number, ct).ConfigureAwait(false);
            if (ext.BaseRecord != record.Number)
                throw new CorruptImageException("NTFS MFT record", (long)number * BootSector.MftRecordSize,
                    $"extension record {number} names base record {ext.BaseRecord}, not {record.Number}.");
            result.AddRange(ext.Attributes);
        }
        return result;
    }

    private async Task<NtfsStream> DataStreamAsync(NtfsNode node, CancellationToken ct)
    {
        var attributes = await AttributesAsync(node.Record, ct).ConfigureAwait(false);
        var pieces = attributes.Where(a => a.Type == NtfsAttribute.Data && a.Name.Length == 0).ToList();
        if (pieces.Count == 0)
            throw new CorruptImageException("NTFS MFT record", (long)node.Record * BootSector.MftRecordSize, $"'{node.Name}' (record {node.Record}) has no unnamed $DATA attribute.");
        return new NtfsStream(_device, BootSector.ClusterSize, pieces, $"'{node.Name}' $DATA");
    }

    protected override FileSystemEntry Describe(NtfsNode node, string name) =>
        new(name, node.IsDirectory ? FileSystemEntryKind.Directory : FileSystemEntryKind.File, node.Size, (long)node.Record);

    protected override async Task<int> ReadAsync(NtfsNode file, long offset, Memory<byte> buffer, CancellationToken ct)
    {
        var stream = await DataStreamAsync(file, ct).ConfigureAwait(false);
        return await stream.ReadAsync(offset, buffer, ct).ConfigureAwait(false);
    }

    protected override async Task<NtfsNode?> LookupAsync(NtfsNode directory, string name, CancellationToken ct)
    {
        foreach (var e in await IndexEntriesAsync(directory, ct).ConfigureAwait(false))
        {
            if (!string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            // The index copy of the size can be stale; the record's $DATA is the truth.
            if (e.IsDirectory) return new NtfsNode(e.Record, e.Name, true, 0);
            var node = new NtfsNode(e.Record, e.Name, false, 0);
            var stream = await DataStreamAsync(node, ct).ConfigureAwait(false);
            return node with { Size = stream.Length };
        }
        return null;
    }

    protected override async Task<IReadOnlyList<(string Name, NtfsNode Node)>> ReadDirectoryAsync(NtfsNode directory, CancellationToken ct)
    {
        var seen = new HashSet<(ulong, string)>();
        var result = new List<(string, NtfsNode)>();
        foreach (var e in await IndexEntriesAsync(directory, ct).ConfigureAwait(false))
        {
            if (e.Namespace == NtfsIndexEntry.DosNamespace || !seen.Add((e.Record, e.Name))) continue;
            result.Add((e.Name, new NtfsNode(e.Record, e.Name, e.IsDirectory, e.IsDirectory ? 0 : e.Size)));
        }
        return result;
    }

    /// <summary>
    /// Every entry of a directory's $I30 index: the $INDEX_ROOT node, then the INDX blocks of
    /// $INDEX_ALLOCATION reached through sub-node VCNs (each visited once, depth bounded).
    /// </summary>
    private async Task<List<NtfsIndexEntry>> IndexEntriesAsync(NtfsNode directory, CancellationToken ct)
    {
        var attributes = await AttributesAsync(directory.Record, ct).ConfigureAwait(false);
        long recordOffset = (long)directory.Record * BootSector.MftRecordSize;
        var root = attributes.FirstOrDefault(a => a.Type == NtfsAttribute.IndexRoot && a.Name == "$I30" && a.IsResident)
            ?? throw new CorruptImageException("NTFS $INDEX_ROOT", recordOffset, $"directory '{directory.Name}' (record {directory.Record}) has no $I30 index root.");
        var value = root.ResidentValue!;
        if (value.Length < 0x20)
            throw new CorruptImageException("NTFS $INDEX_ROOT", recordOffset, $"record {directory.Record}: index root is {value.Length} bytes.");
        int blockSize = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(8)), int.MaxValue);

        var result = new List<NtfsIndexEntry>();
        var pending = new Stack<(long Vcn, int Depth)>();
        void Take(List<NtfsIndexEntry> entries, int depth)
        {
            foreach (var e in entries)
            {
                if (!e.IsLast) result.Add(e);
                if (e.SubNodeVcn is { } v) pending.Push((v, depth + 1));
            }
        }
        Take(NtfsIndexEntry.ParseNode(value, 0x10, recordOffset), 0);
        if (pending.Count == 0) return result;

        var allocation = attributes.Where(a => a.Type == NtfsAttribute.IndexAllocation && a.Name == "$I30").ToList();
        if (allocation.Count == 0)
            throw new CorruptImageException("NTFS $INDEX_ROOT", recordOffset, $"record {directory.Record}: entries point at sub-nodes but there is no $INDEX_ALLOCATION.");
        if (blockSize < 512 || blockSize > 65536 || (blockSize & (blockSize - 1)) != 0)
            throw new CorruptImageException("NTFS $INDEX_ROOT", recordOffset, $"record {directory.Record}: index block size {blockSize} is not a power of two in 512..65536.");
        var stream = new NtfsStream(_device, BootSector.ClusterSize, allocation, $"'{directory.Name}' $INDEX_ALLOCATION");
        // VCNs count clusters, or 512-byte units when index blocks are smaller than a cluster.
        int vcnUnit = blockSize >= BootSector.ClusterSize ? BootSector.ClusterSize : 512;
        var visited = new HashSet<long>();
        while (pending.Count > 0)
        {
            var (vcn, depth) = pending.Pop();
            long offset = vcn <= stream.Length / vcnUnit ? vcn * vcnUnit : -1; // no overflow on a hostile VCN
            if (depth > MaxIndexDepth || !visited.Add(vcn) || offset < 0 || offset + blockSize > stream.Length)
                throw new CorruptImageException("NTFS index block", offset,
                    $"record {directory.Record}: sub-node VCN {vcn} is revisited, too deep ({depth}) or outside $INDEX_ALLOCATION ({stream.Length} bytes).");
            var block = new byte[blockSize];
            await stream.ReadAsync(offset, block, ct).ConfigureAwait(false);
            if (!block.AsSpan(0, 4).SequenceEqual("INDX"u8))
                throw new CorruptImageException("NTFS index block", offset, $"record {directory.Record}: VCN {vcn} magic is not \"INDX\".");
            NtfsFixup.Apply(block, "NTFS index block", offset);
            Take(NtfsIndexEntry.ParseNode(block, 0x18, offset), depth);
        }
        return result;
    }
}
