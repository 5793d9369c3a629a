using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// The NTFS boot sector (linux-ntfs "NTFS Documentation", Boot Sector / BIOS parameter block):
/// <code>
/// 0x03 "NTFS    "  0x0B bytes/sector  0x0D sectors/cluster  0x28 total sectors (u64)
/// 0x30 $MFT LCN  0x38 $MFTMirr LCN  0x40 clusters per MFT record (s8: negative = 2^-n bytes)
/// 0x44 clusters per index record (s8)  0x48 serial  0x1FE 0x55AA
/// </code>
/// </summary>
public sealed record NtfsBootSector(int BytesPerSector, int ClusterSize, long TotalSectors, long MftLcn, int MftRecordSize, int IndexRecordSize, ulong Serial)
{
    public static bool Looks(ReadOnlySpan<byte> s) => s.Length >= 512 && s.Slice(3, 8).SequenceEqual("NTFS    "u8);

    public static NtfsBootSector Parse(ReadOnlySpan<byte> s, long volumeLength)
    {
        const string name = "NTFS boot sector";
        if (!Looks(s)) throw new CorruptImageException(name, 3, "OEM id is not \"NTFS    \".");
        int bps = BinaryPrimitives.ReadUInt16LittleEndian(s[0x0B..]);
        if (bps is not (512 or 1024 or 2048 or 4096))
            throw new CorruptImageException(name, 0x0B, $"bytes per sector {bps} is not 512, 1024, 2048 or 4096.");
        byte spcRaw = s[0x0D];
        // Values above 0x80 encode 2^(256 - n) sectors (clusters over 64 KiB, Windows 10 1903+).
        long spc = spcRaw <= 0x80 ? spcRaw : 1L << (256 - spcRaw);
        if (spc == 0 || (spc & (spc - 1)) != 0 || spc * bps > 2 << 20)
            throw new CorruptImageException(name, 0x0D, $"sectors per cluster {spcRaw} gives no power-of-two cluster of at most 2 MiB.");
        int clusterSize = (int)(spc * bps);
        long total = BinaryPrimitives.ReadInt64LittleEndian(s[0x28..]);
        if (total <= 0 || total > volumeLength / bps + 1)
            throw new CorruptImageException(name, 0x28, $"total sectors {total} does not fit the volume ({volumeLength} bytes): truncated image?");
        long mftLcn = BinaryPrimitives.ReadInt64LittleEndian(s[0x30..]);
        if (mftLcn <= 0 || mftLcn >= total * bps / clusterSize)
            throw new CorruptImageException(name, 0x30, $"$MFT cluster {mftLcn} lies outside the volume.");
        int recordSize = RecordSize((sbyte)s[0x40], clusterSize, name, 0x40);
        int indexSize = RecordSize((sbyte)s[0x44], clusterSize, name, 0x44);
        return new NtfsBootSector(bps, clusterSize, total, mftLcn, recordSize, indexSize, BinaryPrimitives.ReadUInt64LittleEndian(s[0x48..]));
    }

    private static int RecordSize(sbyte v, int clusterSize, string name, int offset)
    {
        long size = v < 0 ? (-v <= 20 ? 1L << -v : 0) : (long)v * clusterSize;
        if (size < 256 || size > 65536 || (size & (size - 1)) != 0)
            throw new CorruptImageException(name, offset, $"record size value {v} gives {size} bytes, not a power of two in 256..65536.");
        return (int)size;
    }
}
