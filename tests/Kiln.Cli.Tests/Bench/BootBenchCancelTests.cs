using System.Diagnostics;
using Kiln.Testing;
using Xunit.Abstractions;

namespace Kiln.Cli.Tests.Bench;

/// <summary>Ctrl-C during <c>kiln bench boot</c>: the boot being measured stops, and its QEMU and temp folder go with it.</summary>
public sealed class BootBenchCancelTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-cli-bench-cancel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sigint_WhileAVmBoots_StopsQemu_AndDeletesTheWorkFolder()
    {
        // A blank disk never becomes ready: SeaBIOS finds nothing to boot, so the VM runs until stopped.
        var image = Path.Combine(_dir, "blank.raw");
        await using (var f = File.Create(image)) f.SetLength(16 << 20);
        var profile = Path.Combine(_dir, "profile.json");
        await File.WriteAllTextAsync(profile,
            """{"image":{"sizeBytes":16777216,"contentId":"sha256:0"},"boots":[],"workingSetBytes":4096,"extents":[[0,4096]]}""");
        var tmp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;

        var kiln = Path.Combine(AppContext.BaseDirectory, "kiln.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { kiln, "bench", "boot", "--image", image, "--profile", profile, "--runs", "1", "--no-nbdkit",
                     "--timeout", "300", "--json", Path.Combine(_dir, "out.json"), "--plot", Path.Combine(_dir, "out.png") })
            psi.ArgumentList.Add(a);
        psi.Environment["TMPDIR"] = tmp;
        var log = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        string Log() { lock (log) return log.ToString(); }
        try
        {
            var waited = Stopwatch.StartNew();
            // By the image's folder: the first case (local) runs QEMU on the image itself, with nothing of TMPDIR on its command line.
            while (ProcessTable.Qemu(_dir).Count == 0)
            {
                Assert.False(process.HasExited, $"kiln exited before starting a VM: {Log()}");
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(3), $"no QEMU started within 3 minutes: {Log()}");
                await Task.Delay(200);
            }

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(); // what Ctrl-C sends
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(grace.Token);

            Assert.True(process.ExitCode != 0, $"a cancelled benchmark exits non-zero: {Log()}");
            Assert.True(ProcessTable.Qemu(_dir).Count == 0, "QEMU still runs after Ctrl-C");
            Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
            Assert.False(File.Exists(Path.Combine(_dir, "out.json")), "a cancelled benchmark must not write figures");
            output.WriteLine(Log());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
