using System.Buffers.Binary;

namespace Kiln.Storage.Partitions;

/// <summary>
/// The master boot record in LBA 0 (UEFI spec 5.2.1, Table 5-1).
/// <code>
///    0 ┌ boot code (440) ┐ 440 disk signature (u32) 444 reserved (u16)
///  446 ├ 4 × partition entry (16 bytes each)                        ┤
///  510 └ 0x55 0xAA                                                   ┘
/// </code>
/// </summary>
public sealed class MasterBootRecord
{
    public const int SectorSize = 512;
    public const int BootCodeSize = 440;
    private const int EntriesOffset = 446;

    private MasterBootRecord(byte[] bootCode, uint diskSignature, MbrPartitionEntry[] entries)
    {
        BootCode = bootCode;
        DiskSignature = diskSignature;
        Entries = entries;
    }

    /// <summary>The 440-byte boot code region (BIOS first-stage loader, e.g. syslinux mbr.bin or GRUB boot.img).</summary>
    public byte[] BootCode { get; }
    public uint DiskSignature { get; }
    public IReadOnlyList<MbrPartitionEntry> Entries { get; }

    /// <summary>True when the boot code region holds anything (a BIOS loader is installed).</summary>
    public bool HasBootCode => BootCode.AsSpan().IndexOfAnyExcept((byte)0) >= 0;

    /// <summary>A GPT disk's protective MBR: an entry of type 0xEE covering the disk.</summary>
    public bool IsProtective => Entries.Any(e => e.IsProtectiveGpt);

    public static bool HasSignature(ReadOnlySpan<byte> sector) =>
        sector.Length >= SectorSize && sector[510] == 0x55 && sector[511] == 0xAA;

    /// <summary>
    /// True when LBA 0 is a file system's boot sector rather than an MBR (a whole-disk FAT or NTFS
    /// volume also ends in 0x55AA; its "entries" are boot code and must not be read as partitions).
    /// </summary>
    public static bool LooksLikeVolumeBootRecord(ReadOnlySpan<byte> sector)
    {
        if (sector.Length < SectorSize) return false;
        if (sector.Slice(3, 8).SequenceEqual("NTFS    "u8)) return true;
        if (sector.Slice(0x36, 3).SequenceEqual("FAT"u8) || sector.Slice(0x52, 5).SequenceEqual("FAT32"u8)) return true;
        // exFAT
        return sector.Slice(3, 8).SequenceEqual("EXFAT   "u8);
    }

    /// <summary>Parses LBA 0; null when it is not an MBR (no 0x55AA, a volume boot record, or nonsense status bytes).</summary>
    public static MasterBootRecord? TryParse(ReadOnlySpan<byte> sector)
    {
        if (!HasSignature(sector) || LooksLikeVolumeBootRecord(sector)) return null;
        var entries = new MbrPartitionEntry[4];
        for (int i = 0; i < 4; i++)
        {
            entries[i] = MbrPartitionEntry.Parse(sector.Slice(EntriesOffset + i * MbrPartitionEntry.Size, MbrPartitionEntry.Size));
            // Status is 0x00 or 0x80 in every real MBR; anything else is boot code of some other record.
            if (entries[i].Status is not (0x00 or 0x80)) return null;
        }
        return new MasterBootRecord(sector[..BootCodeSize].ToArray(),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[440..]), entries);
    }
}
