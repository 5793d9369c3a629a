namespace Kiln.Storage.Tests.Fixtures;

/// <summary>Builds ext2/3/4 volume images with mke2fs -d (no mounting).</summary>
public static class Ext4Image
{
    /// <param name="type">ext2 | ext3 | ext4.</param>
    /// <param name="extra">more mke2fs options, e.g. "-O", "^64bit" or "-b", "1024".</param>
    public static string Build(TempDir temp, string tree, string type, string size = "16M", params string[] extra)
    {
        var image = temp.File($"{type}-{Guid.NewGuid():N}.img");
        string[] args = ["-q", "-F", "-t", type, "-L", "kiln-root", .. extra, "-d", tree, image, size];
        Tool.Run("mke2fs", args);
        return image;
    }

    /// <summary>A small Linux-looking root tree: os-release, machine-id, ssh keys, a symlink or two, a big file.</summary>
    public static string LinuxTree(TempDir temp, string name = "root", string machineId = "0123456789abcdef0123456789abcdef\n", bool sshKeys = true)
    {
        string root = System.IO.Path.Combine(temp.Path, name);
        Directory.CreateDirectory(root);
        File.WriteAllText(System.IO.Path.Combine(root, "placeholder"), "");
        WriteUnder(root, "usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\nID=debian\n");
        Directory.CreateDirectory(System.IO.Path.Combine(root, "etc"));
        File.CreateSymbolicLink(System.IO.Path.Combine(root, "etc/os-release"), "../usr/lib/os-release");
        WriteUnder(root, "etc/machine-id", machineId);
        Directory.CreateDirectory(System.IO.Path.Combine(root, "etc/ssh"));
        WriteUnder(root, "etc/ssh/sshd_config", "PermitRootLogin no\n");
        if (sshKeys)
        {
            WriteUnder(root, "etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n");
            WriteUnder(root, "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA fake\n");
        }
        return root;
    }

    public static void WriteUnder(string root, string relative, string content)
    {
        var full = System.IO.Path.Combine(root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>Deterministic, non-repeating-ish content so a misplaced block shows up.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var b = new byte[length];
        uint x = (uint)seed * 2654435761u + 1;
        for (int i = 0; i < b.Length; i++)
        {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            b[i] = (byte)x;
        }
        return b;
    }
}
