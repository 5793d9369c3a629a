using Kiln.Guest;
namespace Kiln.TestImages;

/// <summary>
/// Gen1 (BIOS) disk: syslinux's MBR boot code, an active FAT16 boot partition holding
/// syslinux (ldlinux.sys via <c>syslinux --install</c> on the partition image), the kernel and
/// initramfs, then the ext4 root.
/// <code>
///   0       1 MiB              1 MiB + boot            + root
///   | MBR+gap | FAT16 (active)  | ext4 kiln-root        | spare |
/// </code>
/// </summary>
public static class Gen1DiskBuilder
{
    public const string MbrBootCodePath = "/usr/lib/syslinux/mbr/mbr.bin";

    public static async Task BuildAsync(TestImageSpec spec, KernelCache kernel, string outputPath, string work, CancellationToken cancellationToken)
    {
        var (root, initrd) = await LinuxRootAndInitrd.BuildAsync(spec, kernel, work, cancellationToken);

        var config = Path.Combine(work, "syslinux.cfg");
        await File.WriteAllTextAsync(config,
            "SERIAL 0 115200\nDEFAULT kiln\nPROMPT 0\nTIMEOUT 0\n" +
            $"LABEL kiln\n  LINUX /vmlinuz\n  INITRD /initrd.img\n  APPEND {KernelCommandLine.Default}\n", cancellationToken);

        var bootSize = BootPartitionSize(new FileInfo(kernel.KernelImagePath).Length + new FileInfo(initrd).Length);
        var boot = Path.Combine(work, "boot.fat");
        await FatImage.BuildAsync(boot, bootSize, 16, "KILNBOOT", new Dictionary<string, string>
        {
            ["vmlinuz"] = kernel.KernelImagePath,
            ["initrd.img"] = initrd,
            ["syslinux.cfg"] = config,
        }, cancellationToken);
        await ToolRunner.RunAsync("syslinux", ["--install", boot], cancellationToken);

        var bootStart = DiskGeometry.Alignment;
        var rootStart = bootStart + bootSize;
        var rootSize = new FileInfo(root).Length;
        var diskSize = DiskGeometry.DiskSize(rootStart + rootSize, spec.DiskSizeBytes);
        if (diskSize > (1L << 32) * DiskGeometry.SectorSize)
            throw new ArgumentOutOfRangeException(nameof(spec), diskSize, "An MBR disk cannot exceed 2 TiB; use a GPT variant (Huge).");

        SparseCopy.CreateSparse(outputPath, diskSize);
        await PartitionTable.WriteAsync(outputPath, gpt: false,
        [
            new PartitionEntry(DiskGeometry.Sectors(bootStart), DiskGeometry.Sectors(bootSize), "e", Bootable: true),
            new PartitionEntry(DiskGeometry.Sectors(rootStart), DiskGeometry.Sectors(rootSize), "83"),
        ], cancellationToken);
        await WriteMbrBootCodeAsync(outputPath, cancellationToken);
        await SparseCopy.CopyIntoAsync(boot, outputPath, bootStart, cancellationToken);
        await SparseCopy.CopyIntoAsync(root, outputPath, rootStart, cancellationToken);
    }

    /// <summary>Room for kernel + initramfs plus a quarter, at least 32 MiB, whole MiB.</summary>
    internal static long BootPartitionSize(long payloadBytes) =>
        DiskGeometry.AlignUp(Math.Max(32L << 20, payloadBytes + payloadBytes / 4 + (4 << 20)));

    /// <summary>Copies the 440 bytes of boot code (MBR bytes 0..439; the disk signature and table follow).</summary>
    private static async Task WriteMbrBootCodeAsync(string disk, CancellationToken cancellationToken)
    {
        var code = await File.ReadAllBytesAsync(MbrBootCodePath, cancellationToken);
        if (code.Length > 440)
            throw new InvalidOperationException($"{MbrBootCodePath} is {code.Length} bytes; MBR boot code must fit in 440.");
        await using var file = new FileStream(disk, FileMode.Open, FileAccess.Write);
        await file.WriteAsync(code, cancellationToken);
    }
}
