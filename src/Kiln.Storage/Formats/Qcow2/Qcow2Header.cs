using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// The qcow2 header (QEMU docs/interop/qcow2.txt, "Header"), big-endian, at offset 0. Only what
/// reading the active layer needs is kept; snapshots and refcounts are not read.
/// <code>
///   0 magic "QFI\xfb"   4 version   8 backing file offset   16 backing file size   20 cluster bits
///  24 size   32 crypt method   36 L1 size   40 L1 table offset   48 refcount table offset
///  56 refcount clusters   60 snapshots   64 snapshots offset
///  v3: 72 incompatible   80 compatible   88 autoclear   96 refcount order   100 header length
///      104 compression type (when the header is longer than 104 bytes)
/// </code>
/// </summary>
public sealed record Qcow2Header
{
    public const int V2Length = 72;
    /// <summary>How much of the file start to hand to <see cref="Parse"/>: enough for the header and the backing file name after it.</summary>
    public const int ReadLength = 64 * 1024;
    /// <summary>Incompatible feature bits (qcow2.txt): dirty, corrupt, external data file, compression type, extended L2.</summary>
    public const ulong Dirty = 1, Corrupt = 2, ExternalDataFile = 4, CompressionType = 8, ExtendedL2 = 16;
    private const ulong KnownIncompatible = Dirty | Corrupt | ExternalDataFile | CompressionType | ExtendedL2;
    /// <summary>qemu's own limit on the L1 table (QCOW_MAX_L1_SIZE).</summary>
    private const long MaxL1Bytes = 32L * 1024 * 1024;
    private const long MaxVirtualSize = 1L << 60;

    public static ReadOnlySpan<byte> Magic => [0x51, 0x46, 0x49, 0xFB]; // "QFI\xfb"

    public uint Version { get; init; }
    public int ClusterBits { get; init; }
    public long ClusterSize => 1L << ClusterBits;
    public long VirtualSize { get; init; }
    public int L1Size { get; init; }
    public long L1TableOffset { get; init; }
    public ulong IncompatibleFeatures { get; init; }

    public static bool HasMagic(ReadOnlySpan<byte> data) => data.Length >= 4 && data[..4].SequenceEqual(Magic);

    /// <summary>Parses and checks the header of a <paramref name="fileLength"/>-byte file; <paramref name="b"/> holds its first bytes.</summary>
    public static Qcow2Header Parse(ReadOnlySpan<byte> b, long fileLength)
    {
        const string s = "qcow2 header";
        if (b.Length < V2Length || fileLength < V2Length) throw new CorruptImageException(s, 0, $"truncated: the file has {fileLength} bytes, the header needs {V2Length}.");
        if (!HasMagic(b)) throw new CorruptImageException(s, 0, "magic is not 'QFI\\xfb': not a qcow2 image.");
        uint version = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
        if (version is not (2 or 3))
            throw new CorruptImageException(s, 4, $"version {version} is not supported (qcow2 versions 2 and 3 are; qcow version 1 is not).");
        ulong backingOffset = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        uint backingSize = BinaryPrimitives.ReadUInt32BigEndian(b[16..]);
        uint clusterBits = BinaryPrimitives.ReadUInt32BigEndian(b[20..]);
        long size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(b[24..]), long.MaxValue);
        uint crypt = BinaryPrimitives.ReadUInt32BigEndian(b[32..]);
        uint l1Size = BinaryPrimitives.ReadUInt32BigEndian(b[36..]);
        ulong l1Offset = BinaryPrimitives.ReadUInt64BigEndian(b[40..]);
        ulong incompatible = 0;

        if (clusterBits is < 9 or > 21)
            throw new CorruptImageException(s, 20, $"cluster bits {clusterBits} is outside 9..21 (512 bytes to 2 MiB clusters).");
        long clusterSize = 1L << (int)clusterBits;
        if (version == 3)
        {
            if (b.Length < 104) throw new CorruptImageException(s, 0, "truncated version 3 header (needs 104 bytes).");
            incompatible = BinaryPrimitives.ReadUInt64BigEndian(b[72..]);
            uint headerLength = BinaryPrimitives.ReadUInt32BigEndian(b[100..]);
            if (headerLength < 104 || headerLength > clusterSize)
                throw new CorruptImageException(s, 100, $"header length {headerLength} is outside 104..{clusterSize}.");
            if ((incompatible & ~KnownIncompatible) != 0)
                throw new CorruptImageException(s, 72, $"unknown incompatible feature bits 0x{incompatible & ~KnownIncompatible:X}: this image needs a newer reader; convert it with qemu-img convert first.");
            if ((incompatible & ExternalDataFile) != 0)
                throw new CorruptImageException(s, 72, "the image keeps its data in an external data file, which Kiln does not support: convert it with qemu-img convert first.");
            if ((incompatible & ExtendedL2) != 0)
                throw new CorruptImageException(s, 72, "extended L2 entries (subclusters) are not supported: convert the image with qemu-img convert first.");
            if ((incompatible & CompressionType) != 0)
            {
                byte type = headerLength > 104 && b.Length > 104 ? b[104] : (byte)0;
                if (type != 0)
                    throw new CorruptImageException(s, 104, $"compression type {type} ({(type == 1 ? "zstd" : "unknown")}) is not supported, only zlib: recompress with qemu-img convert -c -o compression_type=zlib.");
            }
        }
        if (backingOffset != 0)
            throw new CorruptImageException(s, 8, $"qcow2 backing files are not supported: flatten with qemu-img convert first (backing file '{BackingName(b, backingOffset, backingSize)}').");
        if (crypt != 0)
            throw new CorruptImageException(s, 32, $"encryption method {crypt} is not supported: decrypt with qemu-img convert first.");
        if (size > MaxVirtualSize)
            throw new CorruptImageException(s, 24, $"virtual size {size} is absurd (more than 2^60 bytes).");
        long l2Entries = clusterSize / 8;
        long needL1 = (size + clusterSize * l2Entries - 1) / (clusterSize * l2Entries);
        if (l1Size < needL1)
            throw new CorruptImageException(s, 36, $"L1 size {l1Size} cannot map the {size}-byte disk ({needL1} entries needed).");
        if (l1Size * 8L > MaxL1Bytes)
            throw new CorruptImageException(s, 36, $"L1 size {l1Size} is absurd (table larger than 32 MiB).");
        if (l1Size > 0 && (l1Offset % (ulong)clusterSize != 0 || l1Offset > (ulong)fileLength || (long)l1Offset + l1Size * 8L > fileLength))
            throw new CorruptImageException(s, 40, $"L1 table [{l1Offset}, +{l1Size * 8L}) is not cluster aligned or lies outside the {fileLength}-byte file.");
        return new Qcow2Header
        {
            Version = version,
            ClusterBits = (int)clusterBits,
            VirtualSize = size,
            L1Size = (int)l1Size,
            L1TableOffset = (long)l1Offset,
            IncompatibleFeatures = incompatible,
        };
    }

    private static string BackingName(ReadOnlySpan<byte> header, ulong offset, uint size)
    {
        if (size == 0 || size > 1023 || offset + size > (ulong)header.Length) return "(name not in the first bytes read)";
        return Encoding.UTF8.GetString(header.Slice((int)offset, (int)size));
    }
}
