using System.Text;
using Kiln.Guest;

namespace Kiln.TestImages;

/// <summary>
/// A Windows-like disk (not bootable): MBR, one active NTFS partition made with mkntfs on a
/// partition image, directories created through libntfs-3g (<see cref="NtfsDirectoryWriter"/>)
/// and files copied with ntfscp — no mount. It holds \Windows\System32\ntoskrnl.exe (a minimal
/// AMD64 PE), \Windows\System32\config\SOFTWARE and \Windows\Setup\State\State.ini whose
/// ImageState says generalized (IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE) or specialized
/// (IMAGE_STATE_COMPLETE).
/// </summary>
public static class WindowsDiskBuilder
{
    public const string GeneralizedState = "IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE";
    public const string SpecializedState = "IMAGE_STATE_COMPLETE";

    public static async Task BuildAsync(TestImageSpec spec, string outputPath, string work, CancellationToken cancellationToken)
    {
        var partitionStart = DiskGeometry.Alignment;
        var partitionSize = (long)spec.RootPartitionMegabytes << 20;
        var ntfs = Path.Combine(work, "windows.ntfs");
        SparseCopy.CreateSparse(ntfs, partitionSize);
        // -p/-H/-S fill the boot sector's hidden-sector and geometry fields for this disk.
        await ToolRunner.RunAsync("mkntfs",
        [
            "-F", "-Q", "-q", "-L", "Windows", "-s", "512", "-p", DiskGeometry.Sectors(partitionStart).ToString(),
            "-H", "255", "-S", "63", ntfs,
        ], cancellationToken);

        NtfsDirectoryWriter.CreateDirectories(ntfs,
            ["Windows", "Windows/System32", "Windows/System32/config", "Windows/Setup", "Windows/Setup/State", "Users", "Program Files"]);

        var files = new Dictionary<string, byte[]>
        {
            ["Windows/System32/ntoskrnl.exe"] = PeImageWriter.Build(PeImageWriter.MachineAmd64, PeImageWriter.SubsystemNative),
            ["Windows/System32/config/SOFTWARE"] = Encoding.ASCII.GetBytes("regf kiln test hive\0"),
            ["Windows/Setup/State/State.ini"] = Encoding.ASCII.GetBytes(
                $"[State]\r\nImageState={(spec.Specialized ? SpecializedState : GeneralizedState)}\r\n"),
        };
        var host = Path.Combine(work, "ntfs-files");
        Directory.CreateDirectory(host);
        foreach (var (destination, content) in files)
        {
            var source = Path.Combine(host, Path.GetFileName(destination));
            await File.WriteAllBytesAsync(source, content, cancellationToken);
            await ToolRunner.RunAsync("ntfscp", ["-q", ntfs, source, "/" + destination], cancellationToken);
        }

        var diskSize = DiskGeometry.DiskSize(partitionStart + partitionSize, spec.DiskSizeBytes);
        SparseCopy.CreateSparse(outputPath, diskSize);
        await PartitionTable.WriteAsync(outputPath, gpt: false,
            [new PartitionEntry(DiskGeometry.Sectors(partitionStart), DiskGeometry.Sectors(partitionSize), "7", Bootable: true)], cancellationToken);
        await SparseCopy.CopyIntoAsync(ntfs, outputPath, partitionStart, cancellationToken);
    }
}
