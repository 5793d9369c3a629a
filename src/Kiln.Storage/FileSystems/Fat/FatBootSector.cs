using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Fat;

/// <summary>
/// The BIOS parameter block of a FAT volume (Microsoft "FAT32 File System Specification" 1.03,
/// §3 Boot Sector and BPB) and the derived layout:
/// <code>
/// | reserved (boot sector, FSInfo) | FAT 1 | … FAT n | root dir (FAT12/16 only) | data: cluster 2, 3, … |
/// </code>
/// The FAT type comes from the cluster count alone (§3.5), never from the "FAT12" string.
/// </summary>
public sealed record FatBootSector(
    int BytesPerSector,
    int SectorsPerCluster,
    int ReservedSectors,
    int NumberOfFats,
    int RootEntryCount,
    long TotalSectors,
    long FatSizeSectors,
    uint RootCluster,
    string VolumeLabel)
{
    public long RootDirSectors => ((long)RootEntryCount * 32 + BytesPerSector - 1) / BytesPerSector;
    public long FirstFatSector => ReservedSectors;
    public long RootDirSector => ReservedSectors + NumberOfFats * FatSizeSectors;
    public long FirstDataSector => RootDirSector + RootDirSectors;
    public long ClusterCount => (TotalSectors - FirstDataSector) / SectorsPerCluster;
    public int ClusterSize => BytesPerSector * SectorsPerCluster;
    public int FatBits => ClusterCount < 4085 ? 12 : ClusterCount < 65525 ? 16 : 32;

    public long ClusterOffset(uint cluster) => (FirstDataSector + (long)(cluster - 2) * SectorsPerCluster) * BytesPerSector;

    /// <summary>A quick look for a FAT boot sector (jump + sane BPB + 0x55AA), used by the probe.</summary>
    public static bool Looks(ReadOnlySpan<byte> s)
    {
        if (s.Length < 512 || s[510] != 0x55 || s[511] != 0xAA) return false;
        if (s[0] is not (0xEB or 0xE9)) return false;
        if (s.Slice(3, 8).SequenceEqual("NTFS    "u8) || s.Slice(3, 8).SequenceEqual("EXFAT   "u8)) return false;
        int bps = BinaryPrimitives.ReadUInt16LittleEndian(s[0x0B..]);
        int spc = s[0x0D];
        return bps is 512 or 1024 or 2048 or 4096 && spc != 0 && (spc & (spc - 1)) == 0 && s[0x10] != 0;
    }

    public static FatBootSector Parse(ReadOnlySpan<byte> s, long volumeLength)
    {
        const string name = "FAT boot sector";
        if (s[510] != 0x55 || s[511] != 0xAA)
            throw new CorruptImageException(name, 510, "signature is not 0x55AA.");
        int bps = BinaryPrimitives.ReadUInt16LittleEndian(s[0x0B..]);
        if (bps is not (512 or 1024 or 2048 or 4096))
            throw new CorruptImageException(name, 0x0B, $"BPB_BytsPerSec {bps} is not 512, 1024, 2048 or 4096.");
        int spc = s[0x0D];
        if (spc == 0 || (spc & (spc - 1)) != 0)
            throw new CorruptImageException(name, 0x0D, $"BPB_SecPerClus {spc} is not a power of two.");
        int reserved = BinaryPrimitives.ReadUInt16LittleEndian(s[0x0E..]);
        if (reserved == 0) throw new CorruptImageException(name, 0x0E, "BPB_RsvdSecCnt is 0.");
        int fats = s[0x10];
        if (fats is 0 or > 4) throw new CorruptImageException(name, 0x10, $"BPB_NumFATs {fats} is outside 1..4.");
        int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(s[0x11..]);
        long total = BinaryPrimitives.ReadUInt16LittleEndian(s[0x13..]);
        if (total == 0) total = BinaryPrimitives.ReadUInt32LittleEndian(s[0x20..]);
        long fatSize = BinaryPrimitives.ReadUInt16LittleEndian(s[0x16..]);
        bool fat32Layout = fatSize == 0;
        if (fat32Layout) fatSize = BinaryPrimitives.ReadUInt32LittleEndian(s[0x24..]);
        if (fatSize == 0) throw new CorruptImageException(name, 0x24, "BPB_FATSz32 is 0.");
        if (total * bps > volumeLength)
            throw new CorruptImageException(name, 0x20, $"the volume claims {total} sectors ({total * bps} bytes) but only {volumeLength} bytes are there: the image is truncated.");
        uint rootCluster = fat32Layout ? BinaryPrimitives.ReadUInt32LittleEndian(s[0x2C..]) : 0;
        var label = Encoding.ASCII.GetString(s.Slice(fat32Layout ? 0x47 : 0x2B, 11)).TrimEnd(' ', '\0');
        int sigOffset = fat32Layout ? 0x42 : 0x26;
        if (s[sigOffset] != 0x29 || label == "NO NAME") label = "";
        var bs = new FatBootSector(bps, spc, reserved, fats, rootEntries, total, fatSize, rootCluster, label);
        if (bs.FirstDataSector >= total)
            throw new CorruptImageException(name, 0x13, $"reserved + FATs + root directory ({bs.FirstDataSector} sectors) fill the whole volume ({total} sectors).");
        if (bs.FatBits == 32 && (!fat32Layout || rootCluster < 2 || rootCluster > bs.ClusterCount + 1))
            throw new CorruptImageException(name, 0x2C, $"FAT32 BPB_RootClus {rootCluster} is not a cluster of the volume (2..{bs.ClusterCount + 1}).");
        if (bs.FatBits != 32 && rootEntries == 0)
            throw new CorruptImageException(name, 0x11, "BPB_RootEntCnt is 0 on a FAT12/16 volume.");
        if (fatSize * bps * 8 / bs.FatBits < bs.ClusterCount + 2)
            throw new CorruptImageException(name, 0x16, $"a FAT of {fatSize} sectors cannot map {bs.ClusterCount} clusters.");
        return bs;
    }
}
