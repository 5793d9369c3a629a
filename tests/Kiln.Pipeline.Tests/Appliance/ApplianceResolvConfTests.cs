using System.Diagnostics;
using System.Text;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

/// <summary>
/// The temporary /etc/resolv.conf, run for real with busybox sh on the host against a folder
/// standing in for the image's root (the functions only touch DIR/etc): what a boot would do,
/// every case, without a boot.
/// </summary>
public class ApplianceResolvConfTests
{
    private const string Image = "nameserver 192.0.2.53\nsearch corp.example\n";

    [Fact]
    public async Task AFile_IsReplacedDuringTheJob_AndComesBackWithItsBytesModeAndInode()
    {
        using var root = new TempDirectory();
        var etc = Directory.CreateDirectory(Path.Combine(root.Path, "etc")).FullName;
        var file = Path.Combine(etc, "resolv.conf");
        await File.WriteAllTextAsync(file, Image);
        await BusyboxAsync(["chmod", "600", file]);
        await File.WriteAllTextAsync(Path.Combine(etc, "hosts"), "127.0.0.1 localhost\n");
        var modeAndInode = await StatAsync(file, "%a %i");
        Assert.StartsWith("600 ", modeAndInode);

        var (rc, output) = await RunAsync(root.Path, "cat \"$1/etc/resolv.conf\" > \"$1/during\"");

        Assert.True(rc == 0, output);
        Assert.Equal(ApplianceResolvConf.FileText, await File.ReadAllTextAsync(Path.Combine(root.Path, "during")));
        Assert.Equal(Image, await File.ReadAllTextAsync(file));
        Assert.Equal(modeAndInode, await StatAsync(file, "%a %i"));
        Assert.Equal("127.0.0.1 localhost\n", await File.ReadAllTextAsync(Path.Combine(etc, "hosts")));
        Assert.Equal(["hosts", "resolv.conf"], Directory.EnumerateFileSystemEntries(etc).Select(Path.GetFileName).Order());
        Assert.Contains("restored the image's /etc/resolv.conf", output);
    }

    [Fact]
    public async Task ADanglingSymlink_LikeSystemdResolved_StaysASymlinkToTheSameTarget()
    {
        using var root = new TempDirectory();
        var etc = Directory.CreateDirectory(Path.Combine(root.Path, "etc")).FullName;
        var link = Path.Combine(etc, "resolv.conf");
        File.CreateSymbolicLink(link, "../run/systemd/resolve/stub-resolv.conf");

        var (rc, output) = await RunAsync(root.Path, "[ ! -L \"$1/etc/resolv.conf\" ] && cat \"$1/etc/resolv.conf\" > \"$1/during\"");

        Assert.True(rc == 0, output);
        Assert.Equal(ApplianceResolvConf.FileText, await File.ReadAllTextAsync(Path.Combine(root.Path, "during")));
        Assert.Equal("../run/systemd/resolve/stub-resolv.conf", new FileInfo(link).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "run"))); // nothing was written through the link
        Assert.Single(Directory.EnumerateFileSystemEntries(etc));
    }

    [Fact]
    public async Task NoFile_IsProvidedDuringTheJob_AndAbsentAfterwards()
    {
        using var root = new TempDirectory();
        var etc = Directory.CreateDirectory(Path.Combine(root.Path, "etc")).FullName;

        var (rc, output) = await RunAsync(root.Path, "cat \"$1/etc/resolv.conf\" > \"$1/during\"");

        Assert.True(rc == 0, output);
        Assert.Equal(ApplianceResolvConf.FileText, await File.ReadAllTextAsync(Path.Combine(root.Path, "during")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(etc));
    }

    [Fact]
    public async Task AScriptsOwnResolvConf_IsKept_AndTheSavedOneDropped()
    {
        using var root = new TempDirectory();
        var etc = Directory.CreateDirectory(Path.Combine(root.Path, "etc")).FullName;
        var file = Path.Combine(etc, "resolv.conf");
        await File.WriteAllTextAsync(file, Image);

        // Appending keeps Kiln's text as a prefix: still a change that must win.
        var (rc, output) = await RunAsync(root.Path, "echo 'options edns0' >> \"$1/etc/resolv.conf\"");

        Assert.True(rc == 0, output);
        Assert.Equal(ApplianceResolvConf.FileText + "options edns0\n", await File.ReadAllTextAsync(file));
        Assert.Single(Directory.EnumerateFileSystemEntries(etc));
        Assert.Contains("keeping its version", output);
    }

    [Fact]
    public async Task ALeftoverSavedEntry_FailsTheSetup_NamingIt_AndTouchesNothing()
    {
        using var root = new TempDirectory();
        var etc = Directory.CreateDirectory(Path.Combine(root.Path, "etc")).FullName;
        await File.WriteAllTextAsync(Path.Combine(etc, "resolv.conf"), Image);
        await File.WriteAllTextAsync(Path.Combine(etc, ApplianceResolvConf.SavedName), "old");

        var (rc, output) = await RunAsync(root.Path, "echo job ran");

        Assert.Equal(1, rc);
        Assert.Contains($"ERROR /etc/{ApplianceResolvConf.SavedName} already exists", output);
        Assert.DoesNotContain("job ran", output);
        Assert.Equal(Image, await File.ReadAllTextAsync(Path.Combine(etc, "resolv.conf")));
    }

    /// <summary>Runs set, then <paramref name="job"/> (as a customizer would, $1 = the root), then restore, as /init does.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string root, string job)
    {
        var script = Path.Combine(root, "..", Path.GetFileName(root) + ".sh");
        try
        {
            await File.WriteAllTextAsync(script, (ApplianceResolvConf.Functions + "\n" +
                "kiln_resolv_set \"$1\" || { echo \"ERROR $kiln_resolv_error\"; exit 1; }\n" +
                job + "\n" +
                "kiln_resolv_restore \"$1\"\n").ReplaceLineEndings("\n"));
            return await BusyboxAsync(["sh", script, root]);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> StatAsync(string path, string format) =>
        (await BusyboxAsync(["stat", "-c", format, path])).Output.Trim();

    private static async Task<(int ExitCode, string Output)> BusyboxAsync(string[] args)
    {
        var info = new ProcessStartInfo("/bin/busybox") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, new StringBuilder(await stdout).Append(await stderr).ToString());
    }
}
