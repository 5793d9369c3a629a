using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// The 512-byte "Hard Disk Footer" (VHD Image Format Specification, "Hard Disk Footer Format"),
/// big-endian. Fixed disks end with it; dynamic disks also keep a copy at offset 0.
/// <code>
///   0 cookie "conectix"   8 features   12 version   16 data offset   24 timestamp
///  28 creator app        32 creator version        36 creator host OS
///  40 original size      48 current size           56 geometry (C:2 H:1 S:1)
///  60 disk type          64 checksum  68 unique id (16)  84 saved state  85 reserved
/// </code>
/// </summary>
public sealed record VhdFooter
{
    public const int Size = 512;
    public const string Cookie = "conectix";
    public const uint Version1 = 0x0001_0000;
    public const ulong NoDataOffset = ulong.MaxValue;
    /// <summary>Largest disk the VHD format holds (2040 GiB, the limit Hyper-V and Azure enforce).</summary>
    public const long MaxDiskSize = 2040L * 1024 * 1024 * 1024;
    private static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public uint Features { get; init; } = 2; // "reserved" bit: must always be set
    public uint FormatVersion { get; init; } = Version1;
    public ulong DataOffset { get; init; } = NoDataOffset;
    public uint TimeStamp { get; init; }
    public string CreatorApplication { get; init; } = "win ";
    public uint CreatorVersion { get; init; } = 0x000A_0000;
    public string CreatorHostOs { get; init; } = "Wi2k";
    public long OriginalSize { get; init; }
    public long CurrentSize { get; init; }
    public VhdGeometry Geometry { get; init; }
    public VhdDiskType DiskType { get; init; }
    public Guid UniqueId { get; init; }
    public byte SavedState { get; init; }

    /// <summary>
    /// A footer for a new disk. The creator application is "win " (what Hyper-V and Azure write):
    /// readers such as qemu take Current Size as authoritative only for creators they know, and
    /// fall back to the (smaller, CHS-rounded) geometry size otherwise, which would cut the disk.
    /// </summary>
    public static VhdFooter Create(long size, VhdDiskType type, TimeProvider? time = null) => new()
    {
        DataOffset = type == VhdDiskType.Fixed ? NoDataOffset : Size,
        TimeStamp = (uint)Math.Clamp(((time ?? TimeProvider.System).GetUtcNow().UtcDateTime - Epoch).TotalSeconds, 0, uint.MaxValue),
        OriginalSize = size,
        CurrentSize = size,
        Geometry = VhdGeometry.FromSize(size),
        DiskType = type,
        UniqueId = Guid.NewGuid(),
    };

    /// <summary>One's complement of the byte sum of the footer with the checksum field taken as zero.</summary>
    public static uint ComputeChecksum(ReadOnlySpan<byte> footer)
    {
        uint sum = 0;
        for (int i = 0; i < Size; i++)
            if (i < 64 || i >= 68) sum += footer[i];
        return ~sum;
    }

    public static bool HasCookie(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && data[..8].SequenceEqual("conectix"u8);

    /// <summary>Parses and validates a footer read at <paramref name="offset"/> of the file.</summary>
    public static VhdFooter Parse(ReadOnlySpan<byte> b, long offset)
    {
        const string s = "VHD footer";
        if (b.Length < Size) throw new CorruptImageException(s, offset, $"truncated: {b.Length} of {Size} bytes.");
        if (!HasCookie(b))
            throw new CorruptImageException(s, offset, $"cookie is '{Ascii(b[..8])}', expected '{Cookie}' (not a VHD, or the footer was overwritten).");
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(b[64..]);
        uint computed = ComputeChecksum(b);
        if (stored != computed)
            throw new CorruptImageException(s, offset, $"checksum is 0x{stored:X8} but the footer sums to 0x{computed:X8} (footer damaged).");
        var footer = new VhdFooter
        {
            Features = BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
            FormatVersion = BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
            DataOffset = BinaryPrimitives.ReadUInt64BigEndian(b[16..]),
            TimeStamp = BinaryPrimitives.ReadUInt32BigEndian(b[24..]),
            CreatorApplication = Ascii(b[28..32]),
            CreatorVersion = BinaryPrimitives.ReadUInt32BigEndian(b[32..]),
            CreatorHostOs = Ascii(b[36..40]),
            OriginalSize = BinaryPrimitives.ReadInt64BigEndian(b[40..]),
            CurrentSize = BinaryPrimitives.ReadInt64BigEndian(b[48..]),
            Geometry = new VhdGeometry(BinaryPrimitives.ReadUInt16BigEndian(b[56..]), b[58], b[59]),
            DiskType = (VhdDiskType)BinaryPrimitives.ReadUInt32BigEndian(b[60..]),
            UniqueId = new Guid(b.Slice(68, 16), bigEndian: true),
            SavedState = b[84],
        };
        if (footer.FormatVersion >> 16 != 1)
            throw new CorruptImageException(s, offset + 12, $"file format version 0x{footer.FormatVersion:X8} is not 1.x.");
        if (footer.CurrentSize < 0 || footer.CurrentSize > MaxDiskSize)
            throw new CorruptImageException(s, offset + 48, $"current size {footer.CurrentSize} is outside 0..{MaxDiskSize} (2040 GiB, the VHD limit).");
        if (footer.CurrentSize % 512 != 0)
            throw new CorruptImageException(s, offset + 48, $"current size {footer.CurrentSize} is not a whole number of 512-byte sectors.");
        switch (footer.DiskType)
        {
            case VhdDiskType.Fixed: break;
            case VhdDiskType.Dynamic:
                if (footer.DataOffset == NoDataOffset || footer.DataOffset % 512 != 0)
                    throw new CorruptImageException(s, offset + 16, $"data offset 0x{footer.DataOffset:X} of a dynamic disk must point at its sector-aligned dynamic header.");
                break;
            case VhdDiskType.Differencing:
                throw new CorruptImageException(s, offset + 60, "differencing VHDs (with a parent disk) are not supported: merge it into a fixed or dynamic VHD first.");
            default:
                throw new CorruptImageException(s, offset + 60, $"disk type {(uint)footer.DiskType} is unknown (2 = fixed, 3 = dynamic, 4 = differencing).");
        }
        return footer;
    }

    public byte[] ToBytes()
    {
        var b = new byte[Size];
        "conectix"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), Features);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(12), FormatVersion);
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(16), DataOffset);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(24), TimeStamp);
        WriteAscii(b.AsSpan(28, 4), CreatorApplication);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(32), CreatorVersion);
        WriteAscii(b.AsSpan(36, 4), CreatorHostOs);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(40), OriginalSize);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(48), CurrentSize);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(56), Geometry.Cylinders);
        b[58] = Geometry.Heads;
        b[59] = Geometry.SectorsPerTrack;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(60), (uint)DiskType);
        UniqueId.TryWriteBytes(b.AsSpan(68, 16), bigEndian: true, out _);
        b[84] = SavedState;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(64), ComputeChecksum(b));
        return b;
    }

    private static string Ascii(ReadOnlySpan<byte> b)
    {
        var chars = new char[b.Length];
        for (int i = 0; i < b.Length; i++) chars[i] = b[i] is >= 0x20 and < 0x7F ? (char)b[i] : '?';
        return new string(chars);
    }

    private static void WriteAscii(Span<byte> target, string value)
    {
        target.Clear();
        Encoding.ASCII.GetBytes(value.AsSpan(0, Math.Min(value.Length, target.Length)), target);
    }
}
