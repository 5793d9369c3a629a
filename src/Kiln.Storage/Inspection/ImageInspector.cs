using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.Formats;
using Kiln.Storage.Partitions;

namespace Kiln.Storage.Inspection;

/// <summary>
/// Reads a disk image and reports its facts (<see cref="ImageFacts"/>): partitions, file systems,
/// generation, architecture, OS, generalized or specialized, and boot-optimization eligibility.
/// Read-only. A broken partition table throws <see cref="CorruptImageException"/>; a broken
/// file system inside a good table becomes a warning (the rest of the disk is still inspected).
/// </summary>
public static class ImageInspector
{
    /// <summary>Loaders an EFI system partition may hold, in the order firmware falls back to them.</summary>
    private static readonly string[] EfiLoaders =
    [
        @"\EFI\BOOT\BOOTX64.EFI",
        @"\EFI\BOOT\BOOTAA64.EFI",
        @"\EFI\Microsoft\Boot\bootmgfw.efi",
        @"\EFI\BOOT\BOOTIA32.EFI",
    ];

    public static Task<ImageFacts> InspectAsync(OpenedImage image, CancellationToken ct = default) =>
        InspectAsync(image.Device, image.Format, ct);

    public static async Task<ImageFacts> InspectAsync(IBlockDevice disk, string format, CancellationToken ct = default)
    {
        long allocated = 0;
        await foreach (var e in disk.GetAllocatedExtentsAsync(ct).ConfigureAwait(false)) allocated += e.Length;

        var table = await PartitionTable.ReadAsync(disk, ct).ConfigureAwait(false);
        var warnings = new List<string>(table.Warnings);

        var volumes = table.Scheme == PartitionScheme.None
            ? [new Partition(0, 0, disk.Length, null, null, null, "", false, false)]
            : table.Partitions;

        var partitions = new List<PartitionFacts>();
        (CpuArchitecture, string)? loaderArch = null, bootVolumeArch = null;
        bool hasEfiLoader = false;
        OsFindings? os = null;

        foreach (var p in volumes)
        {
            await using var volume = new PartitionDevice(disk, p.Offset, p.Length);
            IFileSystem? fs = null;
            try
            {
                fs = await FileSystemProbe.OpenAsync(volume, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CorruptImageException or NotSupportedException)
            {
                warnings.Add($"partition {p.Index}: the file system could not be read: {ex.Message}");
            }
            string? unsupported = fs is null ? await FileSystemProbe.IdentifyUnsupportedAsync(volume, ct).ConfigureAwait(false) : null;
            if (unsupported is not null and not "swap")
                warnings.Add($"partition {p.Index} holds {unsupported}, which Kiln does not read; an OS on it cannot be inspected.");
            if (table.Scheme != PartitionScheme.None || fs is not null || unsupported is not null)
                partitions.Add(new PartitionFacts(p.Index, p.Offset, p.Length, table.Scheme == PartitionScheme.None ? "none" : p.TypeText,
                    p.Name, p.Bootable, p.IsEfiSystemPartition, fs?.Type ?? unsupported, fs?.Label));
            if (fs is null) continue;

            try
            {
                if (p.IsEfiSystemPartition && fs.Type.StartsWith("fat", StringComparison.Ordinal))
                {
                    foreach (var loader in EfiLoaders)
                    {
                        if (await fs.StatAsync(loader, ct).ConfigureAwait(false) is not { Kind: FileSystemEntryKind.File }) continue;
                        hasEfiLoader = true;
                        loaderArch ??= await LinuxInspector.TryDetectAsync(fs, loader, ct).ConfigureAwait(false);
                        if (loaderArch is not null) break;
                    }
                }
                else if (os is null && await LinuxInspector.IsRootAsync(fs, ct).ConfigureAwait(false))
                    os = await LinuxInspector.InspectAsync(fs, ct).ConfigureAwait(false);
                else if (os is null && await WindowsInspector.IsSystemVolumeAsync(fs, ct).ConfigureAwait(false))
                    os = await WindowsInspector.InspectAsync(fs, ct).ConfigureAwait(false);
                else if (bootVolumeArch is null && !fs.Type.Equals("ntfs", StringComparison.Ordinal))
                    bootVolumeArch = await LinuxInspector.KernelArchitectureAsync(fs, ct).ConfigureAwait(false); // a separate /boot (syslinux, extlinux)
            }
            catch (Exception ex) when (ex is IOException or NotSupportedException)
            {
                warnings.Add($"partition {p.Index} ({fs.Type}): inspection stopped: {ex.Message}");
            }
        }

        var generation = table.Scheme == PartitionScheme.Gpt && hasEfiLoader ? HyperVGeneration.V2 : HyperVGeneration.V1;
        // The firmware runs the EFI loader, so on Gen2 its machine field decides; otherwise the OS's own
        // kernel or binaries, or a kernel on a separate boot partition.
        var archSource = loaderArch ?? os?.Architecture ?? bootVolumeArch;
        var arch = archSource?.Item1 ?? CpuArchitecture.Unknown;
        var osType = os?.OsType ?? OsType.Unknown;
        var state = os?.State ?? OsState.Unknown;
        var evidence = os?.Evidence ?? ["no Linux root (ext with /etc/os-release) or Windows volume (NTFS with \\Windows\\System32) was found."];

        return new ImageFacts(
            format, disk.Length, allocated, table.Scheme, partitions, generation, arch, archSource?.Item2, osType, os?.Distro, state, evidence,
            BootOptimizationRules.Evaluate(disk.Length, table.Scheme, osType, arch, state), warnings);
    }
}
