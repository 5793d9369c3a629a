using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.Formats;
using Kiln.Storage.Partitions;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// Finds, on the host and read-only, the partition holding the image's Linux root: the first
/// ext2/3/4 file system with /etc/os-release (or /usr/lib/os-release), the same rule as
/// image inspection. The appliance then mounts exactly that partition (no guessing in the guest).
/// </summary>
public static class ImageRootLocator
{
    public static async Task<ImageRoot> FindAsync(string imagePath, CancellationToken ct)
    {
        await using var image = await DiskImage.OpenAsync(imagePath, writable: false, ct);
        var format = QemuFormat(image.Format);
        var table = await PartitionTable.ReadAsync(image.Device, ct);
        var volumes = table.Scheme == PartitionScheme.None
            ? [new Partition(0, 0, image.Device.Length, null, null, null, "", false, false)]
            : table.Partitions;
        var seen = new List<string>();
        foreach (var partition in volumes)
        {
            await using var volume = PartitionTable.Open(image.Device, partition);
            IFileSystem? fs;
            try
            {
                fs = await FileSystemProbe.OpenAsync(volume, ct);
            }
            catch (CorruptImageException e)
            {
                seen.Add($"partition {partition.Index}: unreadable ({e.Message})");
                continue;
            }
            seen.Add($"partition {partition.Index}: {fs?.Type ?? "no file system"}");
            if (fs is null || !fs.Type.StartsWith("ext", StringComparison.Ordinal)) continue;
            if (await fs.ExistsAsync("/etc/os-release", ct) || await fs.ExistsAsync("/usr/lib/os-release", ct))
                return new ImageRoot(format, partition.Index);
        }
        throw new ApplianceException(
            $"{imagePath}: no Linux root file system (ext2/3/4 with /etc/os-release) was found ({string.Join("; ", seen)}); " +
            "Shell and File customizers and Linux generalization need one.");
    }

    /// <summary>Kiln's format names (what `kiln inspect` reports) to QEMU's block drivers.</summary>
    public static string QemuFormat(string kilnFormat) => kilnFormat switch
    {
        DiskImage.Raw => "raw",
        DiskImage.Qcow2 => "qcow2",
        DiskImage.VhdFixed or DiskImage.VhdDynamic => "vpc",
        _ => throw new ApplianceException($"Disk format '{kilnFormat}' has no QEMU driver mapping (known: raw, qcow2, vhd-fixed, vhd-dynamic)."),
    };
}
