using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// An MFT entry (NTFS Documentation, "FILE record"), fixups applied, attributes parsed.
/// <code>
/// 0x00 "FILE"  0x04 USA offset  0x06 USA count  0x14 first attribute offset  0x16 flags (1 in use, 2 directory)
/// 0x18 bytes in use  0x1C bytes allocated  0x20 base record reference
/// attribute: 0x00 type 0x04 length 0x08 non-resident 0x09 name length 0x0A name offset 0x0C flags 0x0E id
///   resident:     0x10 value length (u32)  0x14 value offset (u16)
///   non-resident: 0x10 start VCN 0x18 last VCN 0x20 runs offset 0x28 allocated 0x30 data size 0x38 initialized
/// </code>
/// </summary>
public sealed class NtfsFileRecord
{
    private const int MaxAttributes = 512;

    private NtfsFileRecord(ulong number, ushort flags, ulong baseRecord, List<NtfsAttribute> attributes)
    {
        Number = number;
        Flags = flags;
        BaseRecord = baseRecord;
        Attributes = attributes;
    }

    public ulong Number { get; }
    public ushort Flags { get; }
    public ulong BaseRecord { get; }
    public List<NtfsAttribute> Attributes { get; }

    public bool InUse => (Flags & 1) != 0;
    public bool IsDirectory => (Flags & 2) != 0;

    public static NtfsFileRecord Parse(byte[] raw, ulong number, long offset, long clusterCount)
    {
        const string name = "NTFS MFT record";
        if (!raw.AsSpan(0, 4).SequenceEqual("FILE"u8))
            throw new CorruptImageException(name, offset, $"record {number}: magic is not \"FILE\".");
        NtfsFixup.Apply(raw, name, offset);
        int firstAttr = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(0x14));
        int used = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(0x18)), (uint)raw.Length);
        if (firstAttr < 0x18 || firstAttr >= used)
            throw new CorruptImageException(name, offset + 0x14, $"record {number}: first attribute offset {firstAttr} is outside the used part ({used} bytes).");
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(0x16));
        ulong baseRecord = BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(0x20)) & 0xFFFFFFFFFFFF;

        var attributes = new List<NtfsAttribute>();
        int pos = firstAttr;
        while (pos + 4 <= used)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(pos));
            if (type == NtfsAttribute.End) break;
            if (pos + 16 > used)
                throw new CorruptImageException("NTFS attribute", offset + pos, $"record {number}: attribute header runs past the used bytes.");
            int length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(pos + 4)), int.MaxValue);
            if (length < 0x18 || pos + length > used || (length & 7) != 0)
                throw new CorruptImageException("NTFS attribute", offset + pos + 4, $"record {number}: attribute 0x{type:X} length {length} does not fit the record.");
            if (attributes.Count >= MaxAttributes)
                throw new CorruptImageException("NTFS attribute", offset + pos, $"record {number}: more than {MaxAttributes} attributes.");
            attributes.Add(ParseAttribute(raw.AsSpan(pos, length), number, offset + pos, clusterCount));
            pos += length;
        }
        return new NtfsFileRecord(number, flags, baseRecord, attributes);
    }

    private static NtfsAttribute ParseAttribute(ReadOnlySpan<byte> a, ulong number, long offset, long clusterCount)
    {
        const string structure = "NTFS attribute";
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(a);
        bool nonResident = a[8] != 0;
        int nameLength = a[9], nameOffset = BinaryPrimitives.ReadUInt16LittleEndian(a[0x0A..]);
        if (nameLength > 0 && nameOffset + nameLength * 2 > a.Length)
            throw new CorruptImageException(structure, offset + 0x0A, $"record {number}: attribute 0x{type:X} name lies outside it.");
        string attrName = nameLength == 0 ? "" : Encoding.Unicode.GetString(a.Slice(nameOffset, nameLength * 2));
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(a[0x0C..]);
        ushort id = BinaryPrimitives.ReadUInt16LittleEndian(a[0x0E..]);
        if (!nonResident)
        {
            int valueLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(a[0x10..]), int.MaxValue);
            int valueOffset = BinaryPrimitives.ReadUInt16LittleEndian(a[0x14..]);
            if (valueOffset > a.Length || valueLength > a.Length - valueOffset)
                throw new CorruptImageException(structure, offset + 0x10, $"record {number}: resident value ({valueLength} bytes at {valueOffset}) lies outside attribute 0x{type:X}.");
            var value = a.Slice(valueOffset, valueLength).ToArray();
            return new NtfsAttribute(type, attrName, id, flags, value, 0, -1, [], valueLength, valueLength, number);
        }
        if (a.Length < 0x40)
            throw new CorruptImageException(structure, offset + 4, $"record {number}: non-resident attribute 0x{type:X} is shorter than its header.");
        long startVcn = BinaryPrimitives.ReadInt64LittleEndian(a[0x10..]);
        long lastVcn = BinaryPrimitives.ReadInt64LittleEndian(a[0x18..]);
        int runsOffset = BinaryPrimitives.ReadUInt16LittleEndian(a[0x20..]);
        long dataSize = BinaryPrimitives.ReadInt64LittleEndian(a[0x30..]);
        long initialized = BinaryPrimitives.ReadInt64LittleEndian(a[0x38..]);
        if (startVcn < 0 || lastVcn < startVcn - 1 || runsOffset < 0x40 || runsOffset > a.Length || dataSize < 0 || initialized < 0)
            throw new CorruptImageException(structure, offset + 0x10, $"record {number}: non-resident attribute 0x{type:X} header is inconsistent (VCN {startVcn}..{lastVcn}, runs at {runsOffset}, size {dataSize}).");
        var runs = NtfsDataRuns.Decode(a[runsOffset..], startVcn, clusterCount, offset + runsOffset);
        return new NtfsAttribute(type, attrName, id, flags, null, startVcn, lastVcn, runs, dataSize, Math.Min(initialized, dataSize), number);
    }
}
