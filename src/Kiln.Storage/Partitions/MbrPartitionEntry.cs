using System.Buffers.Binary;

namespace Kiln.Storage.Partitions;

/// <summary>
/// One 16-byte MBR partition table entry (UEFI spec 5.2.1, "Legacy MBR Partition Record").
/// <code>
///  0  status (0x80 active)   1 CHS first (3)   4 system id   5 CHS last (3)
///  8  starting LBA (u32)    12 size in LBA (u32)
/// </code>
/// </summary>
public readonly record struct MbrPartitionEntry(byte Status, byte Type, uint StartingLba, uint SizeInLba)
{
    public const int Size = 16;

    public bool IsEmpty => Type == 0 || SizeInLba == 0;
    public bool IsActive => Status == 0x80;
    public bool IsExtended => Type is 0x05 or 0x0F or 0x85;
    public bool IsProtectiveGpt => Type == 0xEE;

    public static MbrPartitionEntry Parse(ReadOnlySpan<byte> e) => new(
        e[0], e[4],
        BinaryPrimitives.ReadUInt32LittleEndian(e[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(e[12..]));
}
