using System.Diagnostics;
using System.Text;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

public class ApplianceJobLayoutTests
{
    private static ApplianceStep Step(string name, string script, ScriptInterpreter how = ScriptInterpreter.ShellStopOnError, string? payload = null) =>
        new(name, Encoding.UTF8.GetBytes(script), how, payload);

    [Fact]
    public void Build_LaysOutRunLaunchStepsAndPayloads()
    {
        using var temp = new TempDirectory();
        var payload = Path.Combine(temp.Path, "p.bin");
        File.WriteAllBytes(payload, [1, 2, 3]);
        var entries = ApplianceJobLayout.Build(new ApplianceJob([Step("a", "echo a"), Step("b", "cp x y", payload: payload)]));

        Assert.Equal(["run.sh", "launch.sh", "steps/0.sh", "steps/1.sh", "files/1"], entries.Select(e => e.RelativePath));
        Assert.Equal("echo a", Encoding.UTF8.GetString(entries[2].Content!));
        Assert.True(entries[2].Executable);
        Assert.Equal(payload, entries[4].SourcePath);
        Assert.Equal(3, entries[4].Length);
    }

    [Fact]
    public void Build_RefusesAnEmptyJobAndAMissingPayload()
    {
        Assert.Throws<ArgumentException>(() => ApplianceJobLayout.Build(new ApplianceJob([])));
        var e = Assert.Throws<FileNotFoundException>(() => ApplianceJobLayout.Build(new ApplianceJob([Step("f", "cp", payload: "/nonexistent/kiln-payload")])));
        Assert.Contains("/nonexistent/kiln-payload", e.Message);
    }

    [Fact]
    public void RunScript_MarksEachStep_PicksTheInterpreter_AndStopsAtTheFirstFailure()
    {
        var script = ApplianceJobLayout.RunScript(new ApplianceJob([Step("inline", "x"), Step("uri", "#!/bin/bash", ScriptInterpreter.Shebang)]));
        var lines = script.Split('\n');
        Assert.Contains("echo \"KILN-STEP-BEGIN 0\"", lines);
        Assert.Contains("echo \"KILN-STEP-EXIT 1 $rc\"", lines);
        Assert.Equal(2, lines.Count(l => l == "[ \"$rc\" = 0 ] || exit 0"));
        Assert.Contains(lines, l => l.Contains("launch.sh stop-on-error /.kiln/job/steps/0.sh", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("launch.sh shebang /.kiln/job/steps/1.sh", StringComparison.Ordinal));
        // The image's own tools come first on PATH; the appliance's busybox last.
        Assert.EndsWith(":/bin:/.kiln/bin", ApplianceJobLayout.ChrootPath);
    }

    [Theory]
    [InlineData("/etc/app.conf")]
    [InlineData("/opt/my dir/x")]
    [InlineData("/tmp/it's")]
    [InlineData("/tmp/$(touch /tmp/kiln-quote-pwned)`id`\"x\"\\")]
    public async Task ShellQuote_RoundTripsThroughARealShell(string value)
    {
        // printf of a quoted constant built by Kiln (no user script runs on the host).
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("printf %s " + ApplianceJobLayout.ShellQuote(value));
        using var process = Process.Start(info)!;
        var printed = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(value, printed);
        Assert.False(File.Exists("/tmp/kiln-quote-pwned"));
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    public void ShellQuote_RefusesLineBreaksAndNul(string value) =>
        Assert.Throws<ArgumentException>(() => ApplianceJobLayout.ShellQuote(value));
}
