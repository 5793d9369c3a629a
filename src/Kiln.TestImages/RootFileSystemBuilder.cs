using System.Globalization;
using System.Text;
using Kiln.Guest;

namespace Kiln.TestImages;

/// <summary>
/// Builds the ext4 root partition image without mounting: <c>mke2fs -d</c> from a staging tree
/// (os-release, machine-id, ssh, cloud-init state), then <c>debugfs -w</c> writes the boot
/// working set with an uninitialized (fallocated, so still sparse) filler file between each
/// pair, so the files lie scattered across the partition like a real OS's boot files:
/// <code>
///   | metadata | ws-000 | filler-000 (unwritten) | ws-001 | filler-001 | … | free |
/// </code>
/// </summary>
public static class RootFileSystemBuilder
{
    public const string WorkingSetDirectory = "usr/lib/kiln-boot";

    public static async Task<IReadOnlyList<string>> BuildAsync(TestImageSpec spec, string outputPath, string workDirectory, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(workDirectory, "root");
        Directory.CreateDirectory(staging);
        WriteSystemFiles(staging, spec);

        var workingSet = Enumerable.Range(0, spec.WorkingSetFiles)
            .Select(i => $"{WorkingSetDirectory}/ws-{i:D4}.bin").ToList();
        var wsDir = Path.Combine(staging, WorkingSetDirectory);
        Directory.CreateDirectory(wsDir);
        for (var i = 0; i < spec.WorkingSetFiles; i++)
            File.WriteAllBytes(Path.Combine(wsDir, $"filler-{i:D4}"), []);
        File.WriteAllText(Path.Combine(staging, InitScript.WorkingSetManifest), string.Join('\n', workingSet) + "\n");

        File.Delete(outputPath);
        await ToolRunner.RunAsync("mke2fs",
        [
            "-q", "-F", "-t", "ext4", "-L", InitScript.RootLabel, "-E", "root_owner=0:0", "-d", staging,
            outputPath, $"{spec.RootPartitionMegabytes}M",
        ], cancellationToken);

        var (blockSize, freeBlocks) = await ReadFreeSpaceAsync(outputPath, cancellationToken);
        var sizes = SplitSizes((long)spec.WorkingSetMegabytes << 20, spec.WorkingSetFiles);
        var workingSetBlocks = sizes.Sum(s => (s + blockSize - 1) / blockSize);
        // Leave a tenth free; the rest is shared out as filler between the working-set files.
        var fillerBlocks = Math.Max(0, (freeBlocks * 9 / 10 - workingSetBlocks) / spec.WorkingSetFiles);

        var script = new StringBuilder();
        script.Append("cd /").Append(WorkingSetDirectory).Append('\n');
        var random = new Random(spec.Seed);
        var hostDir = Path.Combine(workDirectory, "ws");
        Directory.CreateDirectory(hostDir);
        for (var i = 0; i < spec.WorkingSetFiles; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = new byte[sizes[i]];
            random.NextBytes(data); // incompressible: a compressing transport must not shrink the working set
            var host = Path.Combine(hostDir, $"ws-{i:D4}.bin");
            await File.WriteAllBytesAsync(host, data, cancellationToken);
            script.Append(CultureInfo.InvariantCulture, $"write {host} ws-{i:D4}.bin\n");
            if (fillerBlocks > 0)
                script.Append(CultureInfo.InvariantCulture, $"fallocate filler-{i:D4} 0 {fillerBlocks - 1}\n");
        }
        var scriptPath = Path.Combine(workDirectory, "debugfs-working-set");
        await File.WriteAllTextAsync(scriptPath, script.ToString(), cancellationToken);
        await ToolRunner.RunAsync("debugfs", ["-w", "-f", scriptPath, outputPath], cancellationToken);
        Directory.Delete(hostDir, recursive: true);
        return workingSet;
    }

    /// <summary>Splits <paramref name="total"/> bytes into <paramref name="count"/> near-equal sizes.</summary>
    public static long[] SplitSizes(long total, int count)
    {
        var sizes = new long[count];
        for (var i = 0; i < count; i++)
            sizes[i] = total / count + (i < total % count ? 1 : 0);
        return sizes;
    }

    private static void WriteSystemFiles(string root, TestImageSpec spec)
    {
        string Dir(string relative) { var p = Path.Combine(root, relative); Directory.CreateDirectory(p); return p; }
        var etc = Dir("etc");
        File.WriteAllText(Path.Combine(etc, "os-release"),
            "PRETTY_NAME=\"Kiln Test Linux 1.0\"\nNAME=\"Kiln Test Linux\"\nID=kiln-test\nID_LIKE=debian\nVERSION_ID=\"1.0\"\nVERSION=\"1.0\"\n");
        File.WriteAllText(Path.Combine(etc, "hostname"), "kiln-test\n");
        File.WriteAllText(Path.Combine(etc, "fstab"), $"LABEL={InitScript.RootLabel} / ext4 ro 0 1\n");
        Dir("etc/kiln");
        var ssh = Dir("etc/ssh");
        File.WriteAllText(Path.Combine(ssh, "sshd_config"), "PasswordAuthentication no\n");
        foreach (var d in new[] { "var/lib/cloud", "var/log", "tmp", "home", "root", "proc", "sys", "dev" })
            Dir(d);

        var random = new Random(spec.Seed ^ 0x5eed);
        if (spec.Specialized)
        {
            // A booted machine: its identity and host keys exist, cloud-init ran.
            File.WriteAllText(Path.Combine(etc, "machine-id"), RandomHex(random, 16) + "\n");
            foreach (var type in new[] { "ed25519", "ecdsa", "rsa" })
            {
                File.WriteAllText(Path.Combine(ssh, $"ssh_host_{type}_key"),
                    "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(RandomBytes(random, 96)) + "\n-----END OPENSSH PRIVATE KEY-----\n");
                File.WriteAllText(Path.Combine(ssh, $"ssh_host_{type}_key.pub"),
                    $"ssh-{type} " + Convert.ToBase64String(RandomBytes(random, 48)) + " root@kiln-test\n");
            }
            var instance = Dir("var/lib/cloud/instances/kiln-test-instance");
            File.WriteAllText(Path.Combine(instance, "boot-finished"), "1.0 - kiln test image\n");
            File.CreateSymbolicLink(Path.Combine(root, "var/lib/cloud/instance"), "/var/lib/cloud/instances/kiln-test-instance");
        }
        else
        {
            // Generalized the way systemd expects: an empty machine-id is filled on first boot.
            File.WriteAllText(Path.Combine(etc, "machine-id"), "");
        }
    }

    private static byte[] RandomBytes(Random random, int count) { var b = new byte[count]; random.NextBytes(b); return b; }
    private static string RandomHex(Random random, int bytes) => Convert.ToHexStringLower(RandomBytes(random, bytes));

    private static async Task<(long BlockSize, long FreeBlocks)> ReadFreeSpaceAsync(string image, CancellationToken cancellationToken)
    {
        var header = await ToolRunner.RunAsync("dumpe2fs", ["-h", image], cancellationToken);
        long Field(string name)
        {
            var line = header.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"dumpe2fs -h {image} printed no '{name}' line.");
            return long.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        }
        return (Field("Block size"), Field("Free blocks"));
    }
}
