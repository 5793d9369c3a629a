using System.Globalization;
using System.Text;
using Kiln.Guest;

namespace Kiln.TestImages;

/// <summary>One partition to create: start and size in 512-byte sectors, an sfdisk type (MBR byte as hex or GPT type GUID).</summary>
public sealed record PartitionEntry(long StartSector, long SizeSectors, string Type, bool Bootable = false, string? Name = null);

/// <summary>Writes an MBR ("dos") or GPT partition table onto a disk image file with sfdisk.</summary>
public static class PartitionTable
{
    public const string EfiSystemPartitionType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    public const string LinuxFileSystemType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
    public const string BasicDataType = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";

    public static Task WriteAsync(string diskImage, bool gpt, IReadOnlyList<PartitionEntry> partitions, CancellationToken cancellationToken)
    {
        var script = new StringBuilder();
        script.Append("label: ").Append(gpt ? "gpt" : "dos").Append("\nunit: sectors\n");
        foreach (var p in partitions)
        {
            script.Append(CultureInfo.InvariantCulture, $"start={p.StartSector}, size={p.SizeSectors}, type={p.Type}");
            if (p.Bootable) script.Append(", bootable");
            if (gpt && p.Name is not null) script.Append(", name=\"").Append(p.Name).Append('"');
            script.Append('\n');
        }
        return ToolRunner.RunAsync("sfdisk", ["--no-reread", "--no-tell-kernel", "--wipe", "never", diskImage], cancellationToken, script.ToString());
    }
}
