using System.Buffers.Binary;
using System.Text;

namespace Kiln.Storage.Partitions;

/// <summary>
/// GPT partition entry (UEFI spec 5.3.3, Table 5-6).
/// <code>
///  0 PartitionTypeGUID  16 UniquePartitionGUID  32 StartingLBA  40 EndingLBA (inclusive)
/// 48 Attributes  56 PartitionName (72 bytes, UTF-16LE, NUL padded)
/// </code>
/// </summary>
public readonly record struct GptPartitionEntry(Guid TypeGuid, Guid UniqueGuid, ulong StartingLba, ulong EndingLba, ulong Attributes, string Name)
{
    public bool IsUnused => TypeGuid == Guid.Empty;

    /// <summary>Attribute bit 2: legacy BIOS bootable.</summary>
    public bool LegacyBiosBootable => (Attributes & 4) != 0;

    public static GptPartitionEntry Parse(ReadOnlySpan<byte> e)
    {
        var nameBytes = e.Slice(56, 72);
        int len = 0;
        while (len < 36 && BinaryPrimitives.ReadUInt16LittleEndian(nameBytes[(len * 2)..]) != 0) len++;
        return new GptPartitionEntry(
            new Guid(e[..16]),
            new Guid(e.Slice(16, 16)),
            BinaryPrimitives.ReadUInt64LittleEndian(e[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(e[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(e[48..]),
            Encoding.Unicode.GetString(nameBytes[..(len * 2)]));
    }
}
