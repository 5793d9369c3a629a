using System.Text;
using Kiln.Guest;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// Builds the appliance's initramfs (newc cpio, uncompressed: decompressing costs more than
/// reading under TCG): /init (<see cref="ApplianceInit"/>), the disk + ext4 modules the test
/// images use too plus virtio_net (<see cref="Modules"/>), and the static busybox in
/// <see cref="ApplianceInit.ToolsDirectory"/> with one relative symlink per applet plus the sudo
/// shim. Relative links matter: the folder is bind-mounted into the chroot, where an absolute
/// /bin/busybox would name the image's file (or nothing).
/// </summary>
public static class ApplianceInitramfs
{
    /// <summary>
    /// The test images' modules plus the NIC driver. Only the appliance carries virtio_net (and
    /// its failover dependencies): the test images boot in every boot test and need no network.
    /// It is loaded even with the network off: a few hundred KiB, and one initramfs for both.
    /// </summary>
    public static readonly IReadOnlyList<string> Modules = [.. KernelModules.Wanted, "virtio_net"];

    public static async Task BuildAsync(KernelCache kernel, string outputPath, CancellationToken ct)
    {
        var busyboxPath = Busybox.StaticPath;
        if (!File.Exists(busyboxPath))
            throw new ApplianceException($"{busyboxPath} is missing: install busybox-static (scripts/ensure-deps.sh).");
        var applets = await ListAppletsAsync(busyboxPath, ct);
        var modules = KernelModules.ResolveLoadOrder(kernel.ModulesDirectory, Modules);

        await using var file = new FileStream(outputPath, FileMode.Create, FileAccess.Write);
        var cpio = new CpioNewcWriter(file);
        foreach (var dir in new[] { "bin", "dev", "proc", "sys", "lib", "lib/modules", ".kiln", ApplianceInit.ToolsDirectory.TrimStart('/') })
            cpio.AddDirectory(dir);
        cpio.AddCharacterDevice("dev/console", 5, 1);
        var busybox = await File.ReadAllBytesAsync(busyboxPath, ct);
        cpio.AddFile("bin/busybox", busybox, executable: true);
        cpio.AddSymlink("bin/sh", "busybox");
        var tools = ApplianceInit.ToolsDirectory.TrimStart('/');
        cpio.AddFile(tools + "/busybox", busybox, executable: true);
        foreach (var applet in applets.Where(a => a is not "busybox" and not "sudo"))
            cpio.AddSymlink($"{tools}/{applet}", "busybox");
        cpio.AddFile(tools + "/sudo", Encoding.UTF8.GetBytes(SudoShim.Text.ReplaceLineEndings("\n") + "\n"), executable: true);
        cpio.AddFile("init", Encoding.UTF8.GetBytes(ApplianceInit.Text.ReplaceLineEndings("\n") + "\n"), executable: true);

        var names = new List<string>();
        foreach (var relative in modules)
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileName(relative);
            cpio.AddFile("lib/modules/" + name, await File.ReadAllBytesAsync(Path.Combine(kernel.ModulesDirectory, relative), ct));
            names.Add(name);
        }
        cpio.AddFile("lib/modules/load-order", Encoding.UTF8.GetBytes(string.Join('\n', names) + "\n"));
        cpio.Finish();
    }

    /// <summary>Asks busybox for its applet names (one a line); names are checked to be plain file names.</summary>
    private static async Task<IReadOnlyList<string>> ListAppletsAsync(string busybox, CancellationToken ct)
    {
        var output = await ToolRunner.RunAsync(busybox, ["--list"], ct);
        var applets = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a.Length is > 0 and < 64 && a.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '['))
            .Distinct(StringComparer.Ordinal).ToList();
        if (!applets.Contains("sh") || !applets.Contains("chroot"))
            throw new ApplianceException($"{busybox} --list names no 'sh' or 'chroot' applet; the appliance needs a full busybox-static.");
        return applets;
    }
}
