using System.Diagnostics;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

/// <summary>The shim's option handling, run with the host's busybox sh on harmless commands (echo).</summary>
public class SudoShimTests
{
    [Theory]
    [InlineData("echo|hi", 0, "hi")]
    [InlineData("-E|-n|echo|hi", 0, "hi")]
    [InlineData("-u|root|echo|x", 0, "x")]
    [InlineData("-uroot|-H|echo|x", 0, "x")]
    [InlineData("--preserve-env=PATH|--|echo|x", 0, "x")]
    [InlineData("-s|echo y", 0, "y")]
    [InlineData("-u|bob|echo|x", 1, "")]
    [InlineData("--frobnicate|echo|x", 1, "")]
    public async Task Shim_DropsSudoOptions_AndRunsTheCommandAsIs(string arguments, int exitCode, string stdout)
    {
        using var temp = new TempDirectory();
        var shim = Path.Combine(temp.Path, "sudo");
        await File.WriteAllTextAsync(shim, SudoShim.Text.ReplaceLineEndings("\n"));
        var info = new ProcessStartInfo("/bin/busybox") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sh", shim }.Concat(arguments.Split('|'))) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(exitCode, process.ExitCode);
        Assert.Equal(stdout, output.TrimEnd('\n'));
        if (exitCode != 0) Assert.Contains("kiln shim", error);
    }
}
