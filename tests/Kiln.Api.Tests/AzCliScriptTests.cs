using System.Diagnostics;
using Kiln.Api.Hosting;
using Kiln.Api.Tests.Support;
using Xunit.Abstractions;

namespace Kiln.Api.Tests;

/// <summary>
/// The real az CLI (Debian azure-cli 2.45, installed by scripts/test-setup.d/azure-cli.sh) runs
/// the how-to script (Az/howto.sh) end to end against an in-process Kiln. az is slow (about a
/// second per call), so one test runs the whole script.
/// </summary>
public class AzCliScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HowToScriptRunsEndToEnd()
    {
        Assert.True(File.Exists("/usr/bin/az"), "az is missing: run scripts/test-setup.d/azure-cli.sh (./test.sh does) to install Debian's azure-cli.");
        await using var kiln = await TestKiln.StartAsync();
        string work = Path.Combine(kiln.DataDir, "howto");
        Directory.CreateDirectory(work);
        var env = await AzCliSetup.PrepareAsync(kiln.Server.Credentials, Path.Combine(kiln.DataDir, "az"), CancellationToken.None);
        var psi = new ProcessStartInfo("bash", [Path.Combine(AppContext.BaseDirectory, "Az", "howto.sh")])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"howto.sh ran over 10 minutes and was killed; output so far:\n{await stdout}\n{await stderr}");
        }
        string outText = await stdout, errText = await stderr;
        output.WriteLine(outText);
        output.WriteLine(errText);
        Assert.True(process.ExitCode == 0, $"howto.sh exited {process.ExitCode}:\n{errText[^Math.Min(3000, errText.Length)..]}");
        Assert.Contains("HOWTO-OK", outText);
        // What az created is really there (not just az's view of it).
        var groups = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups?api-version=2021-04-01");
        Assert.Contains("myImageBuilderRG", groups.Body!.ToJsonString());
        var assignments = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourceGroups/myImageBuilderRG/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01");
        Assert.Single(assignments.Body!["value"]!.AsArray());
    }
}
