using System.Buffers.Binary;
using System.Numerics;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// The 1024-byte "Dynamic Disk Header" (VHD Image Format Specification, "Dynamic Disk Header
/// Format"), big-endian, found at the footer's Data Offset.
/// <code>
///   0 cookie "cxsparse"   8 data offset (unused, all ones)   16 table (BAT) offset
///  24 header version     28 max table entries   32 block size   36 checksum
///  40 parent unique id (16)   56 parent timestamp   60 reserved   64 parent name (512)
/// 576 parent locators (8 x 24)   768 reserved (256)
/// </code>
/// </summary>
public sealed record VhdDynamicHeader
{
    public const int Size = 1024;
    public const uint DefaultBlockSize = 2 * 1024 * 1024;

    public long TableOffset { get; init; }
    public uint MaxTableEntries { get; init; }
    public uint BlockSize { get; init; } = DefaultBlockSize;

    public static uint ComputeChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < Size; i++)
            if (i < 36 || i >= 40) sum += header[i];
        return ~sum;
    }

    /// <summary>Parses and validates a header at <paramref name="offset"/>, for a disk of <paramref name="diskSize"/> bytes in a file of <paramref name="fileLength"/> bytes.</summary>
    public static VhdDynamicHeader Parse(ReadOnlySpan<byte> b, long offset, long diskSize, long fileLength)
    {
        const string s = "VHD dynamic header";
        if (b.Length < Size) throw new CorruptImageException(s, offset, $"truncated: {b.Length} of {Size} bytes.");
        if (!b[..8].SequenceEqual("cxsparse"u8))
            throw new CorruptImageException(s, offset, "cookie is not 'cxsparse' (the footer's data offset does not point at a dynamic header).");
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(b[36..]);
        uint computed = ComputeChecksum(b);
        if (stored != computed)
            throw new CorruptImageException(s, offset, $"checksum is 0x{stored:X8} but the header sums to 0x{computed:X8} (header damaged).");
        uint version = BinaryPrimitives.ReadUInt32BigEndian(b[24..]);
        if (version >> 16 != 1)
            throw new CorruptImageException(s, offset + 24, $"header version 0x{version:X8} is not 1.x.");
        var header = new VhdDynamicHeader
        {
            TableOffset = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(b[16..]), long.MaxValue),
            MaxTableEntries = BinaryPrimitives.ReadUInt32BigEndian(b[28..]),
            BlockSize = BinaryPrimitives.ReadUInt32BigEndian(b[32..]),
        };
        if (header.BlockSize < 512 || header.BlockSize > 256u * 1024 * 1024 || !BitOperations.IsPow2(header.BlockSize))
            throw new CorruptImageException(s, offset + 32, $"block size {header.BlockSize} is not a power of two between 512 bytes and 256 MiB.");
        long needed = (diskSize + header.BlockSize - 1) / header.BlockSize;
        if (header.MaxTableEntries < needed)
            throw new CorruptImageException(s, offset + 28, $"max table entries {header.MaxTableEntries} cannot map the {diskSize}-byte disk ({needed} blocks of {header.BlockSize} bytes needed).");
        long tableBytes = (long)header.MaxTableEntries * 4;
        if (header.TableOffset % 512 != 0 || header.TableOffset < 512 || header.TableOffset > fileLength - tableBytes)
            throw new CorruptImageException(s, offset + 16, $"block allocation table [{header.TableOffset}, +{tableBytes}) is not sector aligned or lies outside the {fileLength}-byte file.");
        return header;
    }

    public byte[] ToBytes()
    {
        var b = new byte[Size];
        "cxsparse"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(8), ulong.MaxValue);
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(16), (ulong)TableOffset);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(24), VhdFooter.Version1);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(28), MaxTableEntries);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(32), BlockSize);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(36), ComputeChecksum(b));
        return b;
    }
}
