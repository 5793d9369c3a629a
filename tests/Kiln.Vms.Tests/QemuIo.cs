using System.Diagnostics;

namespace Kiln.Vms.Tests;

/// <summary>Reads through an NBD export with qemu-io (qemu-utils), an NBD client independent of Kiln's.</summary>
public static class QemuIo
{
    public static async Task ReadAsync(string nbdUri, IEnumerable<string> commands)
    {
        var info = new ProcessStartInfo("qemu-io") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-r", "-f", "raw" }) info.ArgumentList.Add(a);
        foreach (var c in commands)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(c);
        }
        info.ArgumentList.Add(nbdUri);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"qemu-io failed ({process.ExitCode}): {await stderr}{await stdout}");
    }
}
