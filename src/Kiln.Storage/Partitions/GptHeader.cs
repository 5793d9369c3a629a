using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Partitions;

/// <summary>
/// GPT header (UEFI spec 5.3.2, Table 5-5), at LBA 1 (primary) and the disk's last LBA (backup).
/// <code>
///  0 "EFI PART"  8 revision  12 header size  16 header CRC32  20 reserved
/// 24 MyLBA  32 AlternateLBA  40 FirstUsableLBA  48 LastUsableLBA  56 DiskGUID (16)
/// 72 PartitionEntryLBA  80 NumberOfPartitionEntries  84 SizeOfPartitionEntry  88 PartitionEntryArrayCRC32
/// </code>
/// </summary>
public sealed record GptHeader(
    ulong MyLba,
    ulong AlternateLba,
    ulong FirstUsableLba,
    ulong LastUsableLba,
    Guid DiskGuid,
    ulong PartitionEntryLba,
    uint NumberOfPartitionEntries,
    uint SizeOfPartitionEntry,
    uint PartitionEntryArrayCrc32)
{
    public static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    /// <summary>Hostile-input caps: the spec's minimum array is 128 × 128 bytes; nobody needs more than this.</summary>
    public const uint MaxEntries = 4096;
    public const uint MaxEntrySize = 4096;

    public long EntriesBytes => (long)NumberOfPartitionEntries * SizeOfPartitionEntry;

    /// <summary>Parses and validates one header sector; the error names the field and the header's byte offset.</summary>
    public static GptHeader Parse(ReadOnlySpan<byte> sector, long offset, long deviceSectors)
    {
        const string name = "GPT header";
        if (!sector[..8].SequenceEqual(Signature))
            throw new CorruptImageException(name, offset, "signature is not \"EFI PART\".");
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(sector[12..]);
        if (headerSize < 92 || headerSize > sector.Length)
            throw new CorruptImageException(name, offset + 12, $"HeaderSize {headerSize} is outside 92..{sector.Length}.");
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(sector[16..]);
        var copy = sector[..(int)headerSize].ToArray();
        copy.AsSpan(16, 4).Clear();
        uint actualCrc = Crc32.Compute(copy);
        if (storedCrc != actualCrc)
            throw new CorruptImageException(name, offset + 16, $"HeaderCRC32 is 0x{storedCrc:X8} but the header sums to 0x{actualCrc:X8}.");

        var h = new GptHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(sector[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(sector[32..]),
            BinaryPrimitives.ReadUInt64LittleEndian(sector[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(sector[48..]),
            new Guid(sector.Slice(56, 16)),
            BinaryPrimitives.ReadUInt64LittleEndian(sector[72..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[80..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[84..]),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[88..]));

        if (h.NumberOfPartitionEntries > MaxEntries)
            throw new CorruptImageException(name, offset + 80, $"NumberOfPartitionEntries {h.NumberOfPartitionEntries} exceeds {MaxEntries}.");
        if (h.SizeOfPartitionEntry < 128 || h.SizeOfPartitionEntry > MaxEntrySize || (h.SizeOfPartitionEntry & (h.SizeOfPartitionEntry - 1)) != 0)
            throw new CorruptImageException(name, offset + 84, $"SizeOfPartitionEntry {h.SizeOfPartitionEntry} is not a power of two in 128..{MaxEntrySize}.");
        long entrySectors = (h.EntriesBytes + sector.Length - 1) / sector.Length;
        if (h.PartitionEntryLba < 1 || h.PartitionEntryLba >= (ulong)deviceSectors || (long)h.PartitionEntryLba + entrySectors > deviceSectors)
            throw new CorruptImageException(name, offset + 72, $"PartitionEntryLBA {h.PartitionEntryLba} (+{entrySectors} sectors) is outside the disk ({deviceSectors} sectors).");
        if (h.FirstUsableLba > h.LastUsableLba || h.LastUsableLba >= (ulong)deviceSectors)
            throw new CorruptImageException(name, offset + 40, $"usable range {h.FirstUsableLba}..{h.LastUsableLba} is outside the disk ({deviceSectors} sectors).");
        return h;
    }
}
