using System.Globalization;
using Kiln.Guest;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// Writes the job disk: an ext4 image made by <c>mke2fs -d</c> from a staging folder (nothing is
/// mounted on the host). The appliance mounts it read-only.
/// </summary>
public static class JobDiskBuilder
{
    public const string Label = "kiln-job";

    /// <summary>Room for the files plus a quarter and 8 MiB of ext4 metadata, at least 16 MiB, in whole MiB.</summary>
    public static long SizeMiB(IEnumerable<JobDiskEntry> entries)
    {
        var bytes = entries.Sum(e => e.Length);
        return Math.Max(16, (bytes + bytes / 4 + (8L << 20) + (1 << 20) - 1) >> 20);
    }

    /// <summary>The mke2fs arguments (pure, tested): ext4 without a journal (the disk is read-only in the guest), root-owned files.</summary>
    public static IReadOnlyList<string> MkfsArguments(string stagingDirectory, string imagePath, long sizeMiB) =>
    [
        "-q", "-F", "-t", "ext4", "-O", "^has_journal", "-L", Label, "-E", "root_owner=0:0",
        "-d", stagingDirectory, imagePath, sizeMiB.ToString(CultureInfo.InvariantCulture) + "M",
    ];

    public static async Task BuildAsync(ApplianceJob job, string workDirectory, string imagePath, CancellationToken ct)
    {
        var entries = ApplianceJobLayout.Build(job);
        var staging = Path.Combine(workDirectory, "job-tree");
        Directory.CreateDirectory(staging);
        foreach (var entry in entries)
        {
            var target = Path.Combine(staging, entry.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (entry.Content is { } content)
                await File.WriteAllBytesAsync(target, content, ct);
            else
                File.Copy(entry.SourcePath!, target, overwrite: true);
            // Step scripts are executable so a script with its own #! can be exec'd (Kiln hosts are Linux).
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(target, entry.Executable
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        File.Delete(imagePath);
        await ToolRunner.RunAsync("mke2fs", MkfsArguments(staging, imagePath, SizeMiB(entries)), ct);
        // The staging copy is no longer needed: payloads may be large.
        Directory.Delete(staging, recursive: true);
    }
}
