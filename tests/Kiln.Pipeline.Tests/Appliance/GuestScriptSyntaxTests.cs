using System.Diagnostics;
using System.Text;
using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Steps.Customizers.File;
using Kiln.Pipeline.Steps.Generalize;

namespace Kiln.Pipeline.Tests.Appliance;

/// <summary>
/// Every script Kiln writes for the guest parses under busybox sh (<c>sh -n</c>: syntax only,
/// nothing runs on the host), so a quoting slip fails here rather than after a 40 s boot.
/// </summary>
public class GuestScriptSyntaxTests
{
    public static TheoryData<string, string> Scripts => new()
    {
        { "init", ApplianceInit.Text },
        { "launch.sh", ApplianceJobLayout.LaunchScript },
        { "sudo", SudoShim.Text },
        { "deprovision", LinuxDeprovision.Script },
        { "file copy", FileStepBuilder.CopyScript("/etc/it's here/$(x).conf", 2) },
        { "run.sh", ApplianceJobLayout.RunScript(new ApplianceJob(
            [
                new ApplianceStep("a", Encoding.UTF8.GetBytes("true"), ScriptInterpreter.ShellStopOnError),
                new ApplianceStep("b", Encoding.UTF8.GetBytes("true"), ScriptInterpreter.Shebang),
            ])) },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_ParsesUnderBusyboxSh(string name, string text)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "script");
        await File.WriteAllTextAsync(path, text.ReplaceLineEndings("\n") + "\n");
        var info = new ProcessStartInfo("/bin/busybox") { RedirectStandardError = true };
        foreach (var a in new[] { "sh", "-n", path }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{name}: {error}");
    }

    [Fact]
    public void Deprovision_CoversWhatInspectionCallsSpecialized()
    {
        foreach (var path in new[] { "/etc/machine-id", "/var/lib/dbus/machine-id", "/etc/ssh/ssh_host_*", "/var/lib/cloud/instance", "/var/lib/cloud/instances", "/var/lib/waagent", "/root/.bash_history", "/tmp" })
            Assert.Contains(path, LinuxDeprovision.Script);
    }
}
