using Kiln.Guest;
namespace Kiln.TestImages;

/// <summary>
/// Builds the test images' initramfs: busybox-static, /init (<see cref="InitScript"/>), the
/// kernel modules the init loads (in dependency order) and /dev/console. gzip-compressed
/// (6.7 MB → ~2.8 MB): firmware reads the initramfs sector by sector through emulated disk
/// I/O under TCG, which costs more than the kernel's gunzip.
/// </summary>
public static class InitramfsBuilder
{
    public static async Task BuildAsync(KernelCache kernel, string outputPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(Busybox.StaticPath))
            throw new InvalidOperationException($"{Busybox.StaticPath} is missing: install busybox-static (scripts/ensure-deps.sh).");
        var modules = KernelModules.ResolveLoadOrder(kernel.ModulesDirectory, KernelModules.Wanted);

        await using var file = new FileStream(outputPath, FileMode.Create, FileAccess.Write);
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.SmallestSize);
        var cpio = new CpioNewcWriter(gzip);
        foreach (var dir in new[] { "bin", "dev", "proc", "sys", "root", "lib", "lib/modules" })
            cpio.AddDirectory(dir);
        cpio.AddCharacterDevice("dev/console", 5, 1);
        cpio.AddFile("bin/busybox", await File.ReadAllBytesAsync(Busybox.StaticPath, cancellationToken), executable: true);
        cpio.AddSymlink("bin/sh", "busybox");
        cpio.AddFile("init", System.Text.Encoding.UTF8.GetBytes(InitScript.Text.ReplaceLineEndings("\n") + "\n"), executable: true);

        var names = new List<string>();
        foreach (var relative in modules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(relative);
            cpio.AddFile("lib/modules/" + name, await File.ReadAllBytesAsync(Path.Combine(kernel.ModulesDirectory, relative), cancellationToken));
            names.Add(name);
        }
        cpio.AddFile("lib/modules/load-order", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', names) + "\n"));
        cpio.Finish();
    }
}
