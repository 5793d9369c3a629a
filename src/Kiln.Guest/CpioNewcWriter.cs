using System.Text;

namespace Kiln.Guest;

/// <summary>
/// Writes a cpio archive in the "newc" (SVR4, magic 070701) format the kernel unpacks as an
/// initramfs (Documentation/driver-api/early-userspace/buffer-format.rst). Each entry:
/// <code>
///   header: "070701" + 13 fields of 8 hex digits (ino mode uid gid nlink mtime filesize
///           devmajor devminor rdevmajor rdevminor namesize check)
///   name + NUL, padded to 4 bytes; data, padded to 4 bytes
/// </code>
/// Written in C# so building an initramfs needs no staging tree with root-owned files.
/// </summary>
public sealed class CpioNewcWriter(Stream output)
{
    private uint _nextInode = 1;

    public void AddDirectory(string path) => AddEntry(path, 0x4000 | 0b111_101_101, []);

    public void AddFile(string path, ReadOnlySpan<byte> data, bool executable = false) =>
        AddEntry(path, 0x8000 | (executable ? 0b111_101_101u : 0b110_100_100u), data);

    public void AddSymlink(string path, string target) =>
        AddEntry(path, 0xA000 | 0b111_111_111, Encoding.UTF8.GetBytes(target));

    public void AddCharacterDevice(string path, uint major, uint minor) =>
        AddEntry(path, 0x2000 | 0b110_000_000, [], major, minor);

    /// <summary>Writes the TRAILER!!! entry that ends the archive.</summary>
    public void Finish() => AddEntry("TRAILER!!!", 0, [], inode: 0);

    private void AddEntry(string path, uint mode, ReadOnlySpan<byte> data, uint rdevMajor = 0, uint rdevMinor = 0, uint? inode = null)
    {
        var name = Encoding.UTF8.GetBytes(path.TrimStart('/') + "\0");
        var header = new StringBuilder("070701");
        foreach (var field in new uint[]
                 {
                     inode ?? _nextInode++, mode, 0, 0, (mode & 0x4000) != 0 ? 2u : 1u, 0,
                     (uint)data.Length, 0, 0, rdevMajor, rdevMinor, (uint)name.Length, 0,
                 })
            header.Append(field.ToString("x8"));
        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        output.Write(headerBytes);
        output.Write(name);
        Pad(headerBytes.Length + name.Length);
        output.Write(data);
        Pad(data.Length);
    }

    private void Pad(int length)
    {
        Span<byte> zeros = stackalloc byte[4];
        var pad = (4 - length % 4) % 4;
        output.Write(zeros[..pad]);
    }
}
