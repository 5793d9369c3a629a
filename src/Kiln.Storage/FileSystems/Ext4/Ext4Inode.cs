using System.Buffers.Binary;

namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>
/// An inode (kernel docs §4.5 Index Nodes): mode, size, flags and the 60-byte i_block that holds
/// the extent tree root, the block map, or a fast symlink's target.
/// </summary>
public sealed record Ext4Inode(uint Number, long Offset, ushort Mode, long Size, uint Flags, byte[] Block)
{
    public const uint ExtentsFlag = 0x80000;
    public const uint InlineDataFlag = 0x10000000;

    public int FileType => Mode & 0xF000;
    public bool IsDirectory => FileType == 0x4000;
    public bool IsRegular => FileType == 0x8000;
    public bool IsSymlink => FileType == 0xA000;
    public bool UsesExtents => (Flags & ExtentsFlag) != 0;
    public bool HasInlineData => (Flags & InlineDataFlag) != 0;

    public FileSystemEntryKind Kind => FileType switch
    {
        0x4000 => FileSystemEntryKind.Directory,
        0x8000 => FileSystemEntryKind.File,
        0xA000 => FileSystemEntryKind.Symlink,
        _ => FileSystemEntryKind.Other,
    };

    public static Ext4Inode Parse(uint number, long offset, ReadOnlySpan<byte> raw) => new(
        number, offset,
        BinaryPrimitives.ReadUInt16LittleEndian(raw),
        (long)(BinaryPrimitives.ReadUInt32LittleEndian(raw[0x04..]) | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(raw[0x6C..]) << 32),
        BinaryPrimitives.ReadUInt32LittleEndian(raw[0x20..]),
        raw.Slice(0x28, 60).ToArray());
}
