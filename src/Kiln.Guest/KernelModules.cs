using System.Text;

namespace Kiln.Guest;

/// <summary>
/// Picks the kernel modules the test initramfs must load itself: Debian builds ext4 and the
/// disk drivers as modules, and the unpacked package has no modules.dep (depmod runs at
/// install time), so dependencies are read from each module's .modinfo "depends=" string.
/// </summary>
public static class KernelModules
{
    /// <summary>What a test image needs: ext4 (+ crc32c for metadata checksums), IDE/AHCI/virtio disks.</summary>
    public static readonly IReadOnlyList<string> Wanted =
        ["crc32c_generic", "ext4", "ata_piix", "ahci", "sd_mod", "virtio_pci", "virtio_blk", "virtio_scsi"];

    /// <summary>Module files in load order (dependencies first), paths relative to <paramref name="modulesDirectory"/>.</summary>
    public static IReadOnlyList<string> ResolveLoadOrder(string modulesDirectory, IEnumerable<string> wanted)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(modulesDirectory, "*.ko", SearchOption.AllDirectories))
            byName[Normalize(Path.GetFileNameWithoutExtension(file))] = file;

        var ordered = new List<string>();
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        void Visit(string name, int depth)
        {
            name = Normalize(name);
            if (done.Contains(name)) return;
            if (depth > 64 || !visiting.Add(name))
                throw new InvalidOperationException($"Module dependency cycle or depth > 64 at '{name}'.");
            // A name without a file is built into the kernel (or absent): nothing to load.
            if (byName.TryGetValue(name, out var path))
            {
                foreach (var dependency in ReadDepends(path))
                    Visit(dependency, depth + 1);
                ordered.Add(Path.GetRelativePath(modulesDirectory, path));
            }
            visiting.Remove(name);
            done.Add(name);
        }
        foreach (var name in wanted)
            Visit(name, 0);
        return ordered;
    }

    private static string Normalize(string name) => name.Replace('-', '_');

    /// <summary>Reads the NUL-terminated "depends=a,b" string of a module's .modinfo section.</summary>
    private static IEnumerable<string> ReadDepends(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var key = "\0depends="u8;
        var at = bytes.AsSpan().IndexOf(key);
        if (at < 0) return [];
        var start = at + key.Length;
        var length = bytes.AsSpan(start).IndexOf((byte)0);
        if (length <= 0) return [];
        return Encoding.ASCII.GetString(bytes, start, length).Split(',', StringSplitOptions.RemoveEmptyEntries);
    }
}
