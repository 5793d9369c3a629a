using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>
/// The ext2/3/4 superblock, 1024 bytes at byte 1024 of the volume (kernel docs,
/// "ext4 Data Structures and Algorithms" §4.1 The Super Block). Only the fields a reader needs.
/// </summary>
public sealed record Ext4Superblock(
    uint InodesCount,
    ulong BlocksCount,
    uint FirstDataBlock,
    int BlockSize,
    uint BlocksPerGroup,
    uint InodesPerGroup,
    uint RevLevel,
    int InodeSize,
    uint FeatureCompat,
    uint FeatureIncompat,
    uint FeatureRoCompat,
    Guid Uuid,
    string VolumeName,
    int DescriptorSize,
    uint FirstMetaBg)
{
    public const int Offset = 1024;
    public const int Size = 1024;
    public const ushort Magic = 0xEF53;

    public const uint CompatHasJournal = 0x4;
    public const uint IncompatFiletype = 0x2;
    public const uint IncompatExtents = 0x40;
    public const uint Incompat64Bit = 0x80;
    public const uint IncompatMetaBg = 0x10;
    public const uint IncompatFlexBg = 0x200;
    public const uint IncompatInlineData = 0x8000;
    public const uint IncompatEncrypt = 0x10000;

    public bool HasFileType => (FeatureIncompat & IncompatFiletype) != 0;
    public bool Is64Bit => (FeatureIncompat & Incompat64Bit) != 0;

    public long GroupCount => (long)((BlocksCount - FirstDataBlock + BlocksPerGroup - 1) / BlocksPerGroup);

    /// <summary>ext4 when it uses any ext4-only feature; ext3 when it has a journal; otherwise ext2 (what blkid says).</summary>
    public string FileSystemType =>
        (FeatureIncompat & (IncompatExtents | Incompat64Bit | IncompatFlexBg | IncompatInlineData)) != 0 || (FeatureRoCompat & ~0x7u) != 0 ? "ext4"
        : (FeatureCompat & CompatHasJournal) != 0 ? "ext3" : "ext2";

    public static bool HasMagic(ReadOnlySpan<byte> superblock) =>
        superblock.Length >= 0x3A && BinaryPrimitives.ReadUInt16LittleEndian(superblock[0x38..]) == Magic;

    /// <summary>Parses and sanity-checks the superblock; errors name the field and its byte offset on the volume.</summary>
    public static Ext4Superblock Parse(ReadOnlySpan<byte> s, long volumeLength)
    {
        const string name = "ext superblock";
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(s[0x38..]);
        if (magic != Magic)
            throw new CorruptImageException(name, Offset + 0x38, $"s_magic is 0x{magic:X4}, not 0xEF53.");
        uint logBlock = BinaryPrimitives.ReadUInt32LittleEndian(s[0x18..]);
        if (logBlock > 6) // 1 KiB .. 64 KiB
            throw new CorruptImageException(name, Offset + 0x18, $"s_log_block_size {logBlock} gives a block size over 64 KiB.");
        int blockSize = 1024 << (int)logBlock;
        uint revLevel = BinaryPrimitives.ReadUInt32LittleEndian(s[0x4C..]);
        int inodeSize = revLevel == 0 ? 128 : BinaryPrimitives.ReadUInt16LittleEndian(s[0x58..]);
        if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) != 0)
            throw new CorruptImageException(name, Offset + 0x58, $"s_inode_size {inodeSize} is not a power of two in 128..{blockSize}.");
        uint incompat = BinaryPrimitives.ReadUInt32LittleEndian(s[0x60..]);
        ulong blocks = BinaryPrimitives.ReadUInt32LittleEndian(s[0x04..]);
        int descSize = 32;
        if ((incompat & Incompat64Bit) != 0)
        {
            blocks |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[0x150..]) << 32;
            descSize = BinaryPrimitives.ReadUInt16LittleEndian(s[0xFE..]);
            if (descSize < 32 || descSize > 1024 || (descSize & (descSize - 1)) != 0)
                throw new CorruptImageException(name, Offset + 0xFE, $"s_desc_size {descSize} is not a power of two in 32..1024.");
        }
        uint blocksPerGroup = BinaryPrimitives.ReadUInt32LittleEndian(s[0x20..]);
        uint inodesPerGroup = BinaryPrimitives.ReadUInt32LittleEndian(s[0x28..]);
        if (blocksPerGroup == 0 || blocksPerGroup > 8u * blockSize)
            throw new CorruptImageException(name, Offset + 0x20, $"s_blocks_per_group {blocksPerGroup} is outside 1..{8 * blockSize}.");
        if (inodesPerGroup == 0 || inodesPerGroup > 8u * blockSize)
            throw new CorruptImageException(name, Offset + 0x28, $"s_inodes_per_group {inodesPerGroup} is outside 1..{8 * blockSize}.");
        uint firstData = BinaryPrimitives.ReadUInt32LittleEndian(s[0x14..]);
        if (firstData > 1 || blocks <= firstData)
            throw new CorruptImageException(name, Offset + 0x14, $"s_first_data_block {firstData} / s_blocks_count {blocks} are inconsistent.");
        var label = s.Slice(0x78, 16);
        int len = label.IndexOf((byte)0);
        return new Ext4Superblock(
            BinaryPrimitives.ReadUInt32LittleEndian(s),
            blocks, firstData, blockSize, blocksPerGroup, inodesPerGroup, revLevel, inodeSize,
            BinaryPrimitives.ReadUInt32LittleEndian(s[0x5C..]), incompat,
            BinaryPrimitives.ReadUInt32LittleEndian(s[0x64..]),
            new Guid(s.Slice(0x68, 16), bigEndian: true),
            Encoding.UTF8.GetString(len < 0 ? label : label[..len]),
            descSize,
            BinaryPrimitives.ReadUInt32LittleEndian(s[0x104..]));
    }
}
