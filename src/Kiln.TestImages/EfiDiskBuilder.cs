using Kiln.Guest;
namespace Kiln.TestImages;

/// <summary>
/// GPT disks with an EFI system partition (FAT32) and the ext4 root:
/// Gen2/Huge put a unified kernel image at \EFI\BOOT\BOOTX64.EFI (boots under OVMF);
/// Arm64 puts only a minimal AArch64 PE at \EFI\BOOT\BOOTAA64.EFI (inspected, never booted).
/// <code>
///   0          1 MiB            1 MiB + ESP         + root             disk end
///   | PMBR+GPT | ESP (FAT32)    | ext4 kiln-root    | sparse … | backup GPT |
/// </code>
/// </summary>
public static class EfiDiskBuilder
{
    public static async Task BuildAsync(TestImageSpec spec, KernelCache? kernel, string outputPath, string work, CancellationToken cancellationToken)
    {
        var arm64 = spec.Variant == TestImageVariant.Arm64;
        var (root, initrd) = await LinuxRootAndInitrd.BuildAsync(spec, arm64 ? null : kernel, work, cancellationToken);

        var espFiles = new Dictionary<string, string>();
        long payload;
        if (arm64)
        {
            var loader = Path.Combine(work, "BOOTAA64.EFI");
            await File.WriteAllBytesAsync(loader, PeImageWriter.Build(PeImageWriter.MachineArm64, PeImageWriter.SubsystemEfiApplication), cancellationToken);
            espFiles["EFI/BOOT/BOOTAA64.EFI"] = loader;
            payload = new FileInfo(loader).Length;
        }
        else
        {
            var kernelCache = kernel ?? throw new ArgumentNullException(nameof(kernel));
            var osRelease = Path.Combine(work, "root", "etc", "os-release");
            var uki = Path.Combine(work, "BOOTX64.EFI");
            await UnifiedKernelImage.BuildAsync(kernelCache.KernelImagePath, initrd, osRelease, KernelCommandLine.Default, uki, work, cancellationToken);
            espFiles["EFI/BOOT/BOOTX64.EFI"] = uki;
            payload = new FileInfo(uki).Length;
        }

        // FAT32 needs >= 65525 clusters; 64 MiB of 512-byte clusters is comfortably above.
        var espSize = DiskGeometry.AlignUp(Math.Max(64L << 20, payload + payload / 4 + (8 << 20)));
        var esp = Path.Combine(work, "esp.fat");
        await FatImage.BuildAsync(esp, espSize, 32, "KILNESP", espFiles, cancellationToken);

        var espStart = DiskGeometry.Alignment;
        var rootStart = espStart + espSize;
        var rootSize = new FileInfo(root).Length;
        var requested = spec.DiskSizeBytes ?? (spec.Variant == TestImageVariant.Huge ? TestImageSpec.DefaultHugeDiskBytes : null);
        var diskSize = DiskGeometry.DiskSize(rootStart + rootSize, requested);

        SparseCopy.CreateSparse(outputPath, diskSize);
        await PartitionTable.WriteAsync(outputPath, gpt: true,
        [
            new PartitionEntry(DiskGeometry.Sectors(espStart), DiskGeometry.Sectors(espSize), PartitionTable.EfiSystemPartitionType, Name: "EFI system partition"),
            new PartitionEntry(DiskGeometry.Sectors(rootStart), DiskGeometry.Sectors(rootSize), PartitionTable.LinuxFileSystemType, Name: "kiln-root"),
        ], cancellationToken);
        await SparseCopy.CopyIntoAsync(esp, outputPath, espStart, cancellationToken);
        await SparseCopy.CopyIntoAsync(root, outputPath, rootStart, cancellationToken);
    }
}
