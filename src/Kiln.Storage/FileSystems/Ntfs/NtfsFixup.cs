using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// Update sequence array fixups ("multi-sector transfer protection"): the last two bytes of every
/// 512-byte stride of a FILE or INDX record were replaced by the update sequence number on write;
/// checking them detects torn writes, and the array holds the real bytes to put back.
/// <code>0x04 USA offset (u16)  0x06 USA count (u16, = 1 + strides)  USA: [USN][orig 1][orig 2]…</code>
/// </summary>
internal static class NtfsFixup
{
    public static void Apply(Span<byte> record, string structure, long offset)
    {
        int usaOffset = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]);
        int usaCount = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
        if (usaCount < 2 || (usaCount - 1) * 512 != record.Length || usaOffset < 8 || usaOffset + usaCount * 2 > record.Length || (usaOffset & 1) != 0)
            throw new CorruptImageException(structure, offset + 4,
                $"update sequence array (offset {usaOffset}, count {usaCount}) does not match the {record.Length}-byte record.");
        ushort usn = BinaryPrimitives.ReadUInt16LittleEndian(record[usaOffset..]);
        for (int i = 1; i < usaCount; i++)
        {
            int end = i * 512 - 2;
            ushort found = BinaryPrimitives.ReadUInt16LittleEndian(record[end..]);
            if (found != usn)
                throw new CorruptImageException(structure, offset + end,
                    $"update sequence number 0x{found:X4} in stride {i} does not match 0x{usn:X4} (a torn or corrupted write).");
            record[(usaOffset + i * 2)..(usaOffset + i * 2 + 2)].CopyTo(record[end..]);
        }
    }
}
