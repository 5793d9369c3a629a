using System.Diagnostics;

namespace Kiln.Storage.Tests.Formats;

/// <summary>Runs the real qemu-img (interop tests use the reference implementation, not a mock).</summary>
public static class QemuImg
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("qemu-img did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs qemu-img and fails the test with its output when it exits non-zero.</summary>
    public static async Task<Result> MustRunAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"qemu-img {string.Join(' ', args)} failed: {result}");
        return result;
    }

    /// <summary>Runs one qemu-io command on a qcow2 image (e.g. "write -z 0 1M" to make zero clusters).</summary>
    public static async Task RunQemuIoAsync(string path, string command)
    {
        var psi = new ProcessStartInfo("qemu-io") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "qcow2", "-c", command, path }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("qemu-io did not start");
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"qemu-io -c '{command}' failed: {output}");
    }
}
