using System.Diagnostics;

namespace Kiln.Cli.Bench;

/// <summary>
/// Times operations several times, interleaved (run 1 of each, then run 2 of each...) so a burst of
/// load from other work on a shared machine hits them alike, and keeps each one's best run.
/// </summary>
public static class BenchTimer
{
    public static async Task<Dictionary<string, Measurement>> BestOfInterleavedAsync(int runs, long bytes, IReadOnlyList<Contender> contenders)
    {
        var times = contenders.ToDictionary(c => c.Name, _ => new double[runs]);
        var cpu = contenders.ToDictionary(c => c.Name, _ => new double[runs]);
        for (int i = 0; i < runs; i++)
            foreach (var c in contenders)
            {
                await c.Prepare();
                double cpuBefore = CpuTime.Total();
                var watch = Stopwatch.StartNew();
                await c.Operation();
                times[c.Name][i] = watch.Elapsed.TotalSeconds;
                cpu[c.Name][i] = CpuTime.Total() - cpuBefore;
            }
        return times.ToDictionary(t => t.Key, t =>
        {
            double best = t.Value.Min();
            return new Measurement(Math.Round(best, 4), Math.Round(bytes / 1e6 / best, 1), Math.Round(cpu[t.Key].Min(), 4),
                [.. t.Value.Select(v => Math.Round(v, 4))]);
        });
    }

    /// <summary>Runs a tool to completion; a non-zero exit is an error carrying its output.</summary>
    public static async Task RunToolAsync(string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
    }
}
