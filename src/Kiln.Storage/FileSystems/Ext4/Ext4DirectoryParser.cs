using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ext4;

/// <summary>
/// Linear directory blocks (kernel docs §4.4.1 Linear (Classic) Directories):
/// <code>inode (u32) | rec_len (u16) | name_len (u8) | file_type (u8, with the filetype feature) | name</code>
/// Hash-tree (htree) directories stay readable this way: their index nodes look like one
/// empty entry spanning the block, and the metadata_csum tail is an entry with inode 0.
/// </summary>
internal static class Ext4DirectoryParser
{
    public static List<(string Name, uint Inode)> Parse(byte[] data, int blockSize, bool hasFileType, uint inodesCount, long dataOffsetForErrors, uint dirInode)
    {
        var result = new List<(string, uint)>();
        for (int blockStart = 0; blockStart < data.Length; blockStart += blockSize)
        {
            int end = Math.Min(blockStart + blockSize, data.Length);
            int pos = blockStart;
            while (pos + 8 <= end)
            {
                var e = data.AsSpan(pos);
                uint ino = BinaryPrimitives.ReadUInt32LittleEndian(e);
                int recLen = BinaryPrimitives.ReadUInt16LittleEndian(e[4..]);
                if (recLen == 0 && blockSize == 65536) recLen = 65536; // the kernel's encoding of 64 KiB
                int nameLen = hasFileType ? e[6] : BinaryPrimitives.ReadUInt16LittleEndian(e[6..]);
                if (recLen < 8 || (recLen & 3) != 0 || pos + recLen > end || 8 + nameLen > recLen)
                    throw new CorruptImageException("ext directory entry", dataOffsetForErrors + pos,
                        $"directory inode {dirInode}: rec_len {recLen} / name_len {nameLen} do not fit the block (a zero or overlong rec_len would loop).");
                if (ino != 0)
                {
                    if (ino > inodesCount)
                        throw new CorruptImageException("ext directory entry", dataOffsetForErrors + pos,
                            $"directory inode {dirInode}: entry points at inode {ino}, beyond s_inodes_count {inodesCount}.");
                    string name = Encoding.UTF8.GetString(e.Slice(8, nameLen));
                    if (name is not ("." or ".."))
                    {
                        if (result.Count >= FileSystemLimits.MaxDirectoryEntries)
                            throw new CorruptImageException("ext directory", dataOffsetForErrors, $"directory inode {dirInode} has more than {FileSystemLimits.MaxDirectoryEntries} entries.");
                        result.Add((name, ino));
                    }
                }
                pos += recLen;
            }
        }
        return result;
    }
}
