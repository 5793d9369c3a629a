using System.Text.Json;
using System.Text.Json.Serialization;
using Kiln.Machines;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Bench;

/// <summary>
/// The result of <c>kiln bench boot</c>, written as JSON. Per case: the median seconds to ready,
/// every run, and the median requests/bytes that crossed the modelled link. Top level:
/// <c>optimizedOverLocal</c> = optimized ÷ local (target ≤ 1.10) and <c>gainCaptured</c> =
/// (streamed − optimized) ÷ (streamed − local) (target ≥ 0.90), and the request budget of the
/// optimized boot: workingSet ÷ 4 MiB + 2 % of the streamed boot's requests.
/// </summary>
public sealed record BootBenchReport
{
    public const long PackSegmentBytes = 4L << 20;

    [JsonPropertyName("image")] public required string Image { get; init; }
    [JsonPropertyName("generation")] public required string Generation { get; init; }
    [JsonPropertyName("latencyMs")] public double LatencyMs { get; init; }
    [JsonPropertyName("bandwidthBytesPerSecond")] public long? BandwidthBytesPerSecond { get; init; }
    [JsonPropertyName("date")] public DateTimeOffset Date { get; init; }
    [JsonPropertyName("runs")] public int Runs { get; init; }
    [JsonPropertyName("workingSetBytes")] public long WorkingSetBytes { get; init; }
    [JsonPropertyName("cases")] public required IReadOnlyDictionary<string, BootBenchCaseReport> Cases { get; init; }
    [JsonPropertyName("optimizedOverLocal")] public double? OptimizedOverLocal { get; init; }
    [JsonPropertyName("gainCaptured")] public double? GainCaptured { get; init; }
    [JsonPropertyName("optimizedRequestBudget")] public double? OptimizedRequestBudget { get; init; }

    /// <summary>Per case, the run whose time is the median's (its curve goes on the plot).</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, BootBenchRun> MedianRuns { get; init; } = new Dictionary<string, BootBenchRun>();

    public static BootBenchReport From(string image, MachineGeneration generation, RemoteLinkOptions link, long workingSet,
        IReadOnlyDictionary<string, List<BootBenchRun>> runs)
    {
        var cases = runs.ToDictionary(kv => kv.Key, kv => new BootBenchCaseReport
        {
            Seconds = Median(kv.Value.Select(r => r.Seconds)),
            Runs = kv.Value.Select(r => Math.Round(r.Seconds, 3)).ToList(),
            RemoteRequests = kv.Value.All(r => r.RemoteRequests is not null) ? (long)Median(kv.Value.Select(r => (double)r.RemoteRequests!.Value)) : null,
            RemoteBytes = kv.Value.All(r => r.RemoteBytes is not null) ? (long)Median(kv.Value.Select(r => (double)r.RemoteBytes!.Value)) : null,
        });
        double? Seconds(string name) => cases.TryGetValue(name, out var c) ? c.Seconds : null;
        double? local = Seconds(BootBenchmark.Local), streamed = Seconds(BootBenchmark.Streamed), optimized = Seconds(BootBenchmark.Optimized);
        long? streamedRequests = cases.TryGetValue(BootBenchmark.Streamed, out var s) ? s.RemoteRequests : null;
        return new BootBenchReport
        {
            Image = image,
            Generation = generation.ToString(),
            LatencyMs = link.Latency.TotalMilliseconds,
            BandwidthBytesPerSecond = link.BandwidthBytesPerSecond,
            Date = DateTimeOffset.UtcNow,
            Runs = runs.Values.Max(r => r.Count),
            WorkingSetBytes = workingSet,
            Cases = cases,
            OptimizedOverLocal = optimized / local is { } ratio ? Math.Round(ratio, 3) : null,
            // Undefined when streaming costs nothing over local (nothing to gain).
            GainCaptured = streamed - local is > 0 ? Math.Round((streamed!.Value - optimized!.Value) / (streamed.Value - local!.Value), 3) : null,
            OptimizedRequestBudget = streamedRequests is { } r ? Math.Round((double)workingSet / PackSegmentBytes + 0.02 * r, 1) : null,
            MedianRuns = runs.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(r => r.Seconds).ElementAt((kv.Value.Count - 1) / 2)),
        };
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return Math.Round(sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 3);
    }

    public async Task WriteJsonAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, this, new JsonSerializerOptions { WriteIndented = true }, ct);
    }

    /// <summary>Cumulative MiB read below each case's cache over seconds since QEMU started, with each case's ready time dashed.</summary>
    public void WritePlot(string path)
    {
        var series = MedianRuns.Select(kv => new BenchSeries(kv.Key,
            kv.Value.Timeline.Select(p => p.Seconds).ToList(),
            kv.Value.Timeline.Select(p => p.CumulativeBytes / 1048576.0).ToList())).ToList();
        BenchPlot.WriteLines(path,
            $"{Image} ({Generation}): streamed boot at {LatencyMs:0.#} ms" + (BandwidthBytesPerSecond is { } b ? $", {b / 1e6:0.#} MB/s" : ""),
            "seconds since QEMU start", "MiB over the link (localNbd: from the file)",
            series, markers: MedianRuns.ToDictionary(kv => kv.Key, kv => kv.Value.Seconds));
    }
}
