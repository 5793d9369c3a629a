using System.Security.Cryptography;
using System.Text;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Customizers;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Xunit.Abstractions;

namespace Kiln.Pipeline.Tests.Steps.Customizers;

/// <summary>
/// The appliance for real: each test is one TCG boot of the appliance VM (≈15-40 s on a busy
/// 2-core machine), so there are exactly four of them. Timeouts are generous on purpose.
/// </summary>
[Trait("Category", "Boot")]
[Collection(TestImageCollection.Name)]
public class LinuxCustomizationBootTests(TestImageFixture images, ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8);

    private static Kiln.Pipeline.Appliance.ApplianceOptions Options => new() { Timeout = BootTimeout };

    [Fact]
    public async Task OneBoot_RunsInlineShell_File_ScriptUri_ANetworkFetch_AndGeneralizes_ASpecializedImage()
    {
        using var temp = new TempDirectory();
        var image = await images.CopyAsync(specialized: true, temp.Path);
        var before = await InspectAsync(image);
        Assert.Equal(OsState.Specialized, before.OsState);
        // Like a systemd-resolved image: /etc/resolv.conf a symlink into /run, dangling offline.
        await TestImages.DebugfsAsync(image, write: true,
            "symlink /etc/resolv.conf ../run/systemd/resolve/stub-resolv.conf", "write /dev/null /etc/hosts");
        var resolvBefore = await ResolvConfAsync(image);
        Assert.Contains("../run/systemd/resolve/stub-resolv.conf", resolvBefore);
        await using var http = new LoopbackHttpServer($"fetched over slirp {Guid.NewGuid():N}\n");

        var payload = Path.Combine(temp.Path, "welcome.txt");
        await File.WriteAllTextAsync(payload, "welcome to kiln\n");
        // Written for Azure: bash shebang (the test image has no bash: the appliance's sh runs it), sudo with options.
        var script = Path.Combine(temp.Path, "setup.sh");
        await File.WriteAllTextAsync(script,
            "#!/bin/bash\nset -e\nsudo -E -n mkdir -p /opt/kiln\necho \"from script as $(id -u)\" | sudo -u root tee /opt/kiln/script-ran\n" +
            "touch /tmp/left-behind\nsleep 600 &\necho script done\n"); // the background sleep must not hang the step

        var staging = Path.Combine(temp.Path, "staging");
        Directory.CreateDirectory(staging);
        var log = new ListLog();
        var context = new BuildContext("run1", staging, log, TimeProvider.System) { StagedImagePath = image };
        var steps = CustomizationPlan.Build(
        [
            new ShellCustomizer("mkdir", null, ["sudo mkdir -p /opt/kiln && echo hello > /opt/kiln/hello", "echo inline done"], ""),
            new FileCustomizer("welcome", new Uri(payload).AbsoluteUri, "/etc/kiln/motd.d/welcome.txt", Sha256(payload)),
            new ShellCustomizer("script", new Uri(script).AbsoluteUri, null, Sha256(script)),
            // The host's 127.0.0.1 is 10.0.2.2 to the guest; busybox wget is the appliance's.
            new ShellCustomizer("fetch", null,
            [
                $"wget -q -O /opt/kiln/fetched http://10.0.2.2:{http.Port}/payload.txt",
                "grep nameserver /etc/resolv.conf",
            ], ""),
        ], generalize: true, Options);
        Assert.Single(steps); // one appliance boot for all four customizers + generalize

        var result = await new PipelineRunner(TimeProvider.System).RunAsync(steps, context, Timeout.InfiniteTimeSpan, CancellationToken.None);
        foreach (var line in log.Lines) output.WriteLine(line);

        Assert.True(result.Outcome == BuildOutcome.Succeeded, $"{result.Error}\n{string.Join('\n', log.Lines)}");
        var lines = log.Lines;
        Assert.Equal("hello\n", await TestImages.ReadTextAsync(image, "/opt/kiln/hello"));
        Assert.Equal("welcome to kiln\n", await TestImages.ReadTextAsync(image, "/etc/kiln/motd.d/welcome.txt"));
        Assert.Equal("from script as 0\n", await TestImages.ReadTextAsync(image, "/opt/kiln/script-ran"));
        Assert.Equal(http.Body, await TestImages.ReadTextAsync(image, "/opt/kiln/fetched"));
        Assert.Equal(["GET /payload.txt HTTP/1.1"], http.Requests);
        Assert.Contains("customize[3] Shell (fetch): | nameserver 10.0.2.3", lines); // scripts could resolve names
        Assert.Equal(resolvBefore, await ResolvConfAsync(image)); // the same symlink, same inode, back in place
        Assert.Equal("", await TestImages.ReadTextAsync(image, "/etc/hosts"));
        Assert.Null(await TestImages.ReadTextAsync(image, "/etc/" + Kiln.Pipeline.Appliance.ApplianceResolvConf.SavedName));
        Assert.Null(await TestImages.ReadTextAsync(image, "/tmp/left-behind"));   // generalize cleared /tmp
        Assert.Null(await TestImages.ReadTextAsync(image, "/.kiln/bin/busybox")); // the appliance's tools are gone
        Assert.Equal("", await TestImages.ReadTextAsync(image, "/etc/machine-id"));
        Assert.True(context.Generalized);

        var after = await InspectAsync(image);
        Assert.True(after.OsState == OsState.Generalized, string.Join("\n", after.OsStateEvidence));

        // customization.log: a start and an end line per customizer, its output in between.
        foreach (var name in new[] { "customize[0] Shell (mkdir)", "customize[1] File (welcome)", "customize[2] Shell (script)", "customize[3] Shell (fetch)", "generalize (deprovision)" })
        {
            Assert.Contains($"{name}: started", lines);
            Assert.Contains(lines, l => l.StartsWith($"{name}: exit code 0 after ", StringComparison.Ordinal));
        }
        Assert.Contains("customize[0] Shell (mkdir): | inline done", lines);
        Assert.Contains("customize[2] Shell (script): | script done", lines);
        Assert.Contains("customize[2] Shell (script): | (kiln: stopped 1 process(es) the script left running)", lines);
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging)); // fetched sources and appliance files cleaned up
    }

    /// <summary>Also the network's off switch end to end: no NIC in the guest, no resolv.conf lent to the chroot.</summary>
    [Fact]
    public async Task AScript_CannotTouchTheHost_ItsWritesLandInTheImage_AndWithTheNetworkOffSeesNoNic()
    {
        using var temp = new TempDirectory();
        var image = await images.CopyAsync(specialized: false, temp.Path);
        var canary = $"/tmp/kiln-host-canary-{Guid.NewGuid():N}";
        Assert.False(File.Exists(canary));

        var log = new ListLog();
        var context = new BuildContext("run2", temp.Path, log, TimeProvider.System) { StagedImagePath = image };
        var steps = CustomizationPlan.Build(
        [
            new ShellCustomizer("escape", null,
            [
                $"echo pwned > {canary}",
                "for d in /dev/vda /dev/vdb /dev/sda /dev/hda; do echo pwned > $d 2>/dev/null || true; done",
                "ls /dev | tr '\\n' ' '; echo",
                "echo pwned > /proc/sys/kernel/hostname 2>/dev/null || true",
                "echo \"nics: $(ls /sys/class/net | tr '\\n' ' ')\"",
                "[ -e /etc/resolv.conf ] || [ -L /etc/resolv.conf ] || echo 'no resolv.conf'",
            ], ""),
        ], generalize: false, Options with { Network = false });

        var result = await new PipelineRunner(TimeProvider.System).RunAsync(steps, context, Timeout.InfiniteTimeSpan, CancellationToken.None);
        foreach (var line in log.Lines) output.WriteLine(line);

        Assert.True(result.Outcome == BuildOutcome.Succeeded, $"{result.Error}\n{string.Join('\n', log.Lines)}");
        Assert.False(File.Exists(canary), $"{canary} exists on the host: a script escaped the appliance VM");
        Assert.Equal("pwned\n", await TestImages.ReadTextAsync(image, canary)); // the write landed in the image
        Assert.Contains("customize[0] Shell (escape): | nics: lo ", log.Lines);
        Assert.Contains("customize[0] Shell (escape): | no resolv.conf", log.Lines);
        Assert.Contains(log.Lines, l => l.EndsWith("network off", StringComparison.Ordinal));
        // The chroot's /dev had no block devices: writing "/dev/vda" only made a throw-away tmpfs file,
        // so the disk under the file system is intact and still inspects.
        var facts = await InspectAsync(image);
        Assert.Equal(OsType.Linux, facts.OsType);
        Assert.Equal(OsState.Generalized, facts.OsState);
    }

    [Fact]
    public async Task AFailingScript_FailsTheRun_WithExitCodeAndOutputTail_AndLeavesNothingBehind()
    {
        using var temp = new TempDirectory();
        var image = await images.CopyAsync(specialized: false, temp.Path);
        var staging = Path.Combine(temp.Path, "staging");
        Directory.CreateDirectory(staging);
        // A work root of its own: other classes boot appliances in parallel, so global temp folders and VM names prove nothing.
        var workRoot = Directory.CreateDirectory(Path.Combine(temp.Path, "appliance-work")).FullName;

        var log = new ListLog();
        var context = new BuildContext("run3", staging, log, TimeProvider.System) { StagedImagePath = image };
        var steps = CustomizationPlan.Build(
        [
            new ShellCustomizer("fails", null, ["echo boom", "exit 3"], ""),
            new ShellCustomizer("never", null, ["mkdir -p /opt/never"], ""),
        ], generalize: true, Options with { WorkRoot = workRoot });

        var result = await new PipelineRunner(TimeProvider.System).RunAsync(steps, context, Timeout.InfiniteTimeSpan, CancellationToken.None);
        foreach (var line in log.Lines) output.WriteLine(line);

        Assert.Equal(BuildOutcome.Failed, result.Outcome);
        var message = result.Error!.Message;
        Assert.Contains("exit code 3", message);
        Assert.Contains("boom", message);
        Assert.Contains("customize[0] Shell (fails)", message);
        var failure = Assert.IsType<CustomizationFailedException>(result.Error);
        Assert.Equal(3, failure.ExitCode);

        Assert.Null(await TestImages.ReadTextAsync(image, "/opt/never/x")); // later steps did not run
        Assert.False(await TestImages.ReadRootAsync(image, fs => fs.ExistsAsync("/opt/never")));
        Assert.False(context.Generalized);
        Assert.Empty(Kiln.Testing.ProcessTable.Qemu(temp.Path)); // this test's VM: its disk is under temp.Path
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
        Assert.Empty(Directory.EnumerateFileSystemEntries(workRoot));
    }

    [Fact]
    public async Task CancelWhileAScriptRuns_StopsTheVm_AndLeavesNothingBehind()
    {
        using var temp = new TempDirectory();
        var image = await images.CopyAsync(specialized: false, temp.Path);
        var staging = Path.Combine(temp.Path, "staging");
        Directory.CreateDirectory(staging);
        var log = new ListLog();
        var workRoot = Directory.CreateDirectory(Path.Combine(temp.Path, "appliance-work")).FullName;
        var context = new BuildContext("run4", staging, log, TimeProvider.System) { StagedImagePath = image };
        var steps = CustomizationPlan.Build([new ShellCustomizer("slow", null, ["echo sleeping", "sleep 600"], "")], generalize: false,
            Options with { WorkRoot = workRoot });
        using var cancel = new CancellationTokenSource();

        var run = new PipelineRunner(TimeProvider.System).RunAsync(steps, context, Timeout.InfiniteTimeSpan, cancel.Token);
        using (var deadline = new CancellationTokenSource(BootTimeout))
        {
            while (!log.Lines.Contains("customize[0] Shell (slow): | sleeping") && !run.IsCompleted)
                await Task.Delay(200, deadline.Token);
        }
        await cancel.CancelAsync();
        var result = await run;
        foreach (var line in log.Lines) output.WriteLine(line);

        Assert.Equal(BuildOutcome.Canceled, result.Outcome);
        Assert.Empty(Kiln.Testing.ProcessTable.Qemu(temp.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
        Assert.Empty(Directory.EnumerateFileSystemEntries(workRoot));
    }

    /// <summary>debugfs's stat of /etc/resolv.conf without its times: type, inode, mode, size, link target.</summary>
    private static async Task<string> ResolvConfAsync(string image)
    {
        var stat = await TestImages.DebugfsAsync(image, write: false, "stat /etc/resolv.conf");
        return string.Join('\n', stat.Split('\n').Where(l => !l.Contains("time:", StringComparison.Ordinal) && !l.StartsWith("Inode checksum", StringComparison.Ordinal)));
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<ImageFacts> InspectAsync(string path)
    {
        await using var opened = await DiskImage.OpenAsync(path);
        return await ImageInspector.InspectAsync(opened);
    }
}
