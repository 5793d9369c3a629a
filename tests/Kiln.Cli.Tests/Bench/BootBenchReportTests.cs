using System.Text.Json;
using Kiln.Cli.Bench;
using Kiln.Machines;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Tests.Bench;

/// <summary>The figures of <c>kiln bench boot</c>: medians, the two ratios, the request budget, and JSON that serializes.</summary>
public sealed class BootBenchReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-bootbench-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BootBenchRun Run(double seconds, long? requests = 0, long? bytes = 0) =>
        new(seconds, requests, bytes, [(0.5, 4096L), (seconds, 8192L)]);

    private static BootBenchReport Report() => BootBenchReport.From("gen2.raw", MachineGeneration.Gen2,
        RemoteLinkOptions.Parse("10ms", "200MB/s"), workingSet: 32L << 20, new Dictionary<string, List<BootBenchRun>>
        {
            [BootBenchmark.Local] = [Run(10), Run(12), Run(11)],
            [BootBenchmark.LocalNbd] = [Run(14), Run(13), Run(15)],
            [BootBenchmark.Streamed] = [Run(31, 100), Run(30, 90), Run(29, 110)],
            [BootBenchmark.Optimized] = [Run(12, 8), Run(13, 9), Run(11, 8)],
            [BootBenchmark.Nbdkit] = [Run(20, null, null), Run(21, null, null), Run(19, null, null)],
        });

    [Fact]
    public void Ratios_UseTheMedians()
    {
        var r = Report();
        Assert.Equal(11, r.Cases["local"].Seconds);
        Assert.Equal(14, r.Cases["localNbd"].Seconds); // shown, but the floor of the ratios is the file itself
        Assert.Equal(30, r.Cases["streamed"].Seconds);
        Assert.Equal(12, r.Cases["optimized"].Seconds);
        Assert.Equal(100, r.Cases["streamed"].RemoteRequests);
        Assert.Null(r.Cases["nbdkit"].RemoteRequests);
        Assert.Equal(Math.Round(12.0 / 11, 3), r.OptimizedOverLocal);
        Assert.Equal(Math.Round((30.0 - 12) / (30 - 11), 3), r.GainCaptured);
        Assert.Equal(8 + 0.02 * 100, r.OptimizedRequestBudget); // 32 MiB / 4 MiB + 2 % of 100
    }

    [Fact]
    public async Task Json_HasTheDocumentedFields_AndThePlotIsWritten()
    {
        var r = Report();
        var json = Path.Combine(_dir, "out.json");
        var png = Path.Combine(_dir, "out.png");
        await r.WriteJsonAsync(json, CancellationToken.None);
        r.WritePlot(png);

        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(json));
        var root = doc.RootElement;
        Assert.Equal("gen2.raw", root.GetProperty("image").GetString());
        Assert.Equal(10, root.GetProperty("latencyMs").GetDouble());
        Assert.Equal(200_000_000, root.GetProperty("bandwidthBytesPerSecond").GetInt64());
        foreach (var name in new[] { "local", "localNbd", "streamed", "optimized", "nbdkit" })
        {
            var c = root.GetProperty("cases").GetProperty(name);
            Assert.Equal(3, c.GetProperty("runs").GetArrayLength());
            Assert.True(c.TryGetProperty("seconds", out _) && c.TryGetProperty("remoteRequests", out _) && c.TryGetProperty("remoteBytes", out _));
        }
        Assert.True(root.TryGetProperty("optimizedOverLocal", out _));
        Assert.True(root.TryGetProperty("gainCaptured", out _));
        Assert.False(root.TryGetProperty("MedianRuns", out _));
        Assert.True(new FileInfo(png).Length > 1000);
    }
}
