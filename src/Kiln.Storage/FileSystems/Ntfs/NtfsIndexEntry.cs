using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// A directory index entry ($I30, keyed by $FILE_NAME) from $INDEX_ROOT or an INDX block
/// (NTFS Documentation, "Index Entry"):
/// <code>
/// 0x00 file reference (u64, low 48 bits = record)  0x08 entry length  0x0A key length  0x0C flags (1 sub-node, 2 last)
/// 0x10 key: $FILE_NAME (0x00 parent ref … 0x30 real size 0x38 flags 0x40 name length 0x41 namespace 0x42 name)
/// [entry end - 8: sub-node VCN]
/// </code>
/// </summary>
internal sealed record NtfsIndexEntry(ulong Record, string Name, byte Namespace, bool IsDirectory, long Size, long? SubNodeVcn, bool IsLast)
{
    public const byte DosNamespace = 2;

    /// <summary>Parses the entries of one index node whose header starts at <paramref name="header"/>.</summary>
    public static List<NtfsIndexEntry> ParseNode(byte[] buffer, int header, long errorOffset)
    {
        const string name = "NTFS index entry";
        if (header + 16 > buffer.Length)
            throw new CorruptImageException("NTFS index node header", errorOffset + header, "lies outside its buffer.");
        long first = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(header));
        long size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(header + 4));
        long end = header + size;
        long pos = header + first;
        if (first < 16 || end > buffer.Length || pos > end)
            throw new CorruptImageException("NTFS index node header", errorOffset + header,
                $"entries at +{first} of {size} bytes do not fit the {buffer.Length}-byte node.");
        var result = new List<NtfsIndexEntry>();
        while (true)
        {
            if (pos + 16 > end)
                throw new CorruptImageException(name, errorOffset + pos, "the node ends without a last-entry marker.");
            var e = buffer.AsSpan((int)pos);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(e[8..]);
            int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(e[10..]);
            int flags = BinaryPrimitives.ReadUInt16LittleEndian(e[12..]);
            if (length < 16 || (length & 7) != 0 || pos + length > end || 16 + keyLength > length)
                throw new CorruptImageException(name, errorOffset + pos, $"entry length {length} / key length {keyLength} do not fit the node.");
            bool hasSub = (flags & 1) != 0, last = (flags & 2) != 0;
            long? sub = hasSub ? BinaryPrimitives.ReadInt64LittleEndian(e[(length - 8)..]) : null;
            if (hasSub && (length < 24 || sub < 0))
                throw new CorruptImageException(name, errorOffset + pos, $"sub-node VCN {sub} is invalid.");
            if (last)
            {
                result.Add(new NtfsIndexEntry(0, "", 0, false, 0, sub, true));
                return result;
            }
            if (keyLength < 0x42)
                throw new CorruptImageException(name, errorOffset + pos, $"key length {keyLength} is too short for a $FILE_NAME.");
            var key = e.Slice(16, keyLength);
            int nameLength = key[0x40];
            if (0x42 + nameLength * 2 > keyLength)
                throw new CorruptImageException(name, errorOffset + pos + 16 + 0x40, $"name length {nameLength} exceeds the key ({keyLength} bytes).");
            ulong record = BinaryPrimitives.ReadUInt64LittleEndian(e) & 0xFFFFFFFFFFFF;
            uint fileFlags = BinaryPrimitives.ReadUInt32LittleEndian(key[0x38..]);
            result.Add(new NtfsIndexEntry(record,
                Encoding.Unicode.GetString(key.Slice(0x42, nameLength * 2)),
                key[0x41],
                (fileFlags & 0x10000000) != 0,
                BinaryPrimitives.ReadInt64LittleEndian(key[0x30..]),
                sub, false));
            if (result.Count > FileSystemLimits.MaxDirectoryEntries)
                throw new CorruptImageException(name, errorOffset + pos, "too many entries in one node.");
            pos += length;
        }
    }
}
