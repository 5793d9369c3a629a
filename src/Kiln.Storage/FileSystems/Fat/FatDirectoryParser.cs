using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Fat;

/// <summary>
/// 32-byte directory entries (FAT spec §6) with long names (§7): LFN entries (attribute 0x0F)
/// precede their short entry in reverse order, each holding 13 UTF-16 characters and the
/// checksum of the 8.3 name they belong to; a mismatched checksum falls back to the short name.
/// </summary>
internal static class FatDirectoryParser
{
    private const byte AttrLongName = 0x0F, AttrVolumeId = 0x08, AttrDirectory = 0x10;

    public static List<FatNode> Parse(byte[] data, Func<int, long> offsetOf, uint maxCluster)
    {
        var result = new List<FatNode>();
        var lfn = new char[20 * 13];
        int lfnCount = 0, lfnExpected = 0;
        byte lfnChecksum = 0;
        for (int pos = 0; pos + 32 <= data.Length; pos += 32)
        {
            var e = data.AsSpan(pos, 32);
            if (e[0] == 0x00) break;                 // no more entries
            if (e[0] == 0xE5) { lfnCount = 0; continue; } // deleted
            byte attr = e[11];
            if ((attr & 0x3F) == AttrLongName)
            {
                int ord = e[0] & 0x1F;
                if ((e[0] & 0x40) != 0) { lfnExpected = ord; lfnCount = 0; lfnChecksum = e[13]; Array.Clear(lfn); }
                if (ord == 0 || ord > 20 || ord != lfnExpected - lfnCount || e[13] != lfnChecksum) { lfnCount = 0; lfnExpected = 0; continue; }
                int at = (ord - 1) * 13;
                for (int i = 0; i < 5; i++) lfn[at + i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(e[(1 + i * 2)..]);
                for (int i = 0; i < 6; i++) lfn[at + 5 + i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(e[(14 + i * 2)..]);
                for (int i = 0; i < 2; i++) lfn[at + 11 + i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(e[(28 + i * 2)..]);
                lfnCount++;
                continue;
            }
            if ((attr & AttrVolumeId) != 0) { lfnCount = 0; continue; }

            string name = lfnCount > 0 && lfnCount == lfnExpected && Checksum(e[..11]) == lfnChecksum
                ? LongName(lfn, lfnExpected)
                : ShortName(e);
            lfnCount = 0; lfnExpected = 0;
            if (name is "." or "..") continue;

            uint cluster = (uint)BinaryPrimitives.ReadUInt16LittleEndian(e[20..]) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(e[26..]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(e[28..]);
            bool dir = (attr & AttrDirectory) != 0;
            if (cluster == 1 || cluster > maxCluster || (cluster == 0 && (dir || size != 0)))
                throw new CorruptImageException("FAT directory entry", offsetOf(pos),
                    $"'{name}': first cluster {cluster} is not a data cluster (2..{maxCluster}).");
            result.Add(new FatNode(name, dir, cluster, dir ? 0 : size, false, offsetOf(pos)));
        }
        return result;
    }

    /// <summary>The 8.3 checksum that ties LFN entries to their short entry (FAT spec §7.2).</summary>
    public static byte Checksum(ReadOnlySpan<byte> shortName)
    {
        byte sum = 0;
        foreach (byte b in shortName) sum = (byte)(((sum & 1) << 7) + (sum >> 1) + b);
        return sum;
    }

    private static string LongName(char[] lfn, int parts)
    {
        int len = 0;
        while (len < parts * 13 && lfn[len] != '\0' && lfn[len] != '\uffff') len++;
        return new string(lfn, 0, len);
    }

    /// <summary>"README  TXT" → "README.TXT", honouring the NT lowercase bits (0x08 base, 0x10 extension).</summary>
    private static string ShortName(ReadOnlySpan<byte> e)
    {
        var raw = e[..11].ToArray();
        if (raw[0] == 0x05) raw[0] = 0xE5;
        string b = Encoding.Latin1.GetString(raw, 0, 8).TrimEnd(' ');
        string x = Encoding.Latin1.GetString(raw, 8, 3).TrimEnd(' ');
        if ((e[12] & 0x08) != 0) b = b.ToLowerInvariant();
        if ((e[12] & 0x10) != 0) x = x.ToLowerInvariant();
        return x.Length == 0 ? b : b + "." + x;
    }
}
