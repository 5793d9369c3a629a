using System.Text;
using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;

namespace Kiln.Storage.Inspection;

/// <summary>
/// Reads a Linux root file system: os-release for the distro, and the identity a first boot
/// creates (machine-id, SSH host keys, cloud-init and waagent state) to tell generalized from specialized.
/// </summary>
internal static class LinuxInspector
{
    public static async Task<bool> IsRootAsync(IFileSystem fs, CancellationToken ct) =>
        fs.Type.StartsWith("ext", StringComparison.Ordinal)
        && (await fs.ExistsAsync("/etc/os-release", ct).ConfigureAwait(false) || await fs.ExistsAsync("/usr/lib/os-release", ct).ConfigureAwait(false));

    public static async Task<OsFindings> InspectAsync(IFileSystem fs, CancellationToken ct)
    {
        string? distro = null;
        foreach (var path in new[] { "/etc/os-release", "/usr/lib/os-release" })
        {
            if (await TryReadTextAsync(fs, path, ct).ConfigureAwait(false) is not { } text) continue;
            distro = OsRelease.Describe(OsRelease.Parse(text));
            break;
        }

        var evidence = new List<string>();
        bool specialized = false;

        var machineId = await TryReadTextAsync(fs, "/etc/machine-id", ct).ConfigureAwait(false);
        string id = machineId?.Trim() ?? "";
        if (machineId is null)
            evidence.Add("/etc/machine-id is missing: the first boot creates it (generalized).");
        else if (id.Length == 0 || id == "uninitialized")
            evidence.Add($"/etc/machine-id is {(id.Length == 0 ? "empty" : "\"uninitialized\"")}: the first boot creates a new one (generalized).");
        else
        {
            specialized = true;
            evidence.Add($"/etc/machine-id is set ({id[..Math.Min(8, id.Length)]}…): this machine's identity is baked in (specialized).");
        }

        var keys = new List<string>();
        if (await fs.StatAsync("/etc/ssh", ct).ConfigureAwait(false) is { IsDirectory: true })
            keys = (await fs.ListDirectoryAsync("/etc/ssh", ct).ConfigureAwait(false))
                .Select(e => e.Name)
                .Where(n => n.StartsWith("ssh_host_", StringComparison.Ordinal) && n.EndsWith("_key", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToList();
        if (keys.Count > 0)
        {
            specialized = true;
            evidence.Add($"SSH host keys are present ({string.Join(", ", keys)}): every VM from this image would share them (specialized).");
        }
        else evidence.Add("no SSH host keys in /etc/ssh: they are generated on first boot (generalized).");

        if (await fs.ExistsAsync("/var/lib/cloud/instance", ct).ConfigureAwait(false))
        {
            specialized = true;
            evidence.Add("cloud-init instance state exists (/var/lib/cloud/instance): cloud-init already ran for a VM (specialized).");
        }
        else if (await fs.ExistsAsync("/var/lib/cloud", ct).ConfigureAwait(false))
            evidence.Add("no cloud-init instance state (/var/lib/cloud/instance): cloud-init will run on first boot.");

        foreach (var marker in new[] { "/var/lib/waagent/provisioned", "/var/lib/waagent/ovf-env.xml" })
            if (await fs.ExistsAsync(marker, ct).ConfigureAwait(false))
            {
                specialized = true;
                evidence.Add($"the Azure Linux agent was provisioned ({marker} exists) (specialized).");
                break;
            }

        return new OsFindings(OsType.Linux, distro, specialized ? OsState.Specialized : OsState.Generalized, evidence,
            await ArchitectureAsync(fs, ct).ConfigureAwait(false));
    }

    /// <summary>From a kernel in /boot or /, else from the ELF header of the shell or init.</summary>
    public static async Task<(CpuArchitecture, string)?> ArchitectureAsync(IFileSystem fs, CancellationToken ct)
    {
        if (await KernelArchitectureAsync(fs, ct).ConfigureAwait(false) is { } k) return k;
        foreach (var path in new[] { "/bin/sh", "/sbin/init", "/usr/bin/env", "/bin/busybox" })
            if (await TryDetectAsync(fs, path, ct).ConfigureAwait(false) is { } x) return x;
        return null;
    }

    /// <summary>
    /// A Linux kernel image in /boot or at the top of the volume (where syslinux and extlinux keep
    /// it on a separate boot partition): vmlinuz*, vmlinux*, bzImage, Image*, linux.
    /// </summary>
    public static async Task<(CpuArchitecture, string)?> KernelArchitectureAsync(IFileSystem fs, CancellationToken ct)
    {
        foreach (var dir in new[] { "/boot", "/" })
        {
            if (await fs.StatAsync(dir, ct).ConfigureAwait(false) is not { IsDirectory: true }) continue;
            var names = (await fs.ListDirectoryAsync(dir, ct).ConfigureAwait(false))
                .Where(e => e.Kind is FileSystemEntryKind.File or FileSystemEntryKind.Symlink && IsKernelName(e.Name))
                .Select(e => e.Name).OrderByDescending(n => n, StringComparer.Ordinal).Take(8);
            foreach (var name in names)
                if (await TryDetectAsync(fs, dir.TrimEnd('/') + "/" + name, ct).ConfigureAwait(false) is { } k) return k;
        }
        return null;
    }

    private static bool IsKernelName(string name) =>
        name.StartsWith("vmlinuz", StringComparison.OrdinalIgnoreCase) || name.StartsWith("vmlinux", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Image", StringComparison.Ordinal) || name.Equals("bzImage", StringComparison.OrdinalIgnoreCase)
        || name.Equals("linux", StringComparison.OrdinalIgnoreCase);

    internal static async Task<(CpuArchitecture, string)?> TryDetectAsync(IFileSystem fs, string path, CancellationToken ct)
    {
        try
        {
            if (await fs.StatAsync(path, ct).ConfigureAwait(false) is not { Kind: FileSystemEntryKind.File }) return null;
            var head = await fs.ReadFileRangeAsync(path, 0, 64 * 1024, ct).ConfigureAwait(false);
            return ExecutableArchitecture.DetectMaybeCompressed(head) is { } d ? (d.Architecture, $"{d.How} in {path}") : null;
        }
        catch (IOException)
        {
            return null; // a broken file is not a reason to fail the whole inspection
        }
    }

    internal static async Task<string?> TryReadTextAsync(IFileSystem fs, string path, CancellationToken ct)
    {
        try
        {
            if (await fs.StatAsync(path, ct).ConfigureAwait(false) is not { Kind: FileSystemEntryKind.File }) return null;
            return Encoding.UTF8.GetString(await fs.ReadFileAsync(path, 1 << 20, ct).ConfigureAwait(false));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
