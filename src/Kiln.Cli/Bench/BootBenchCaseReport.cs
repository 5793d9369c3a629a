using System.Text.Json.Serialization;

namespace Kiln.Cli.Bench;

/// <summary>One case of <see cref="BootBenchReport"/>: median seconds to ready, every run, median requests and bytes across the link (null when the case cannot count them).</summary>
public sealed record BootBenchCaseReport
{
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("runs")] public required IReadOnlyList<double> Runs { get; init; }
    [JsonPropertyName("remoteRequests")] public long? RemoteRequests { get; init; }
    [JsonPropertyName("remoteBytes")] public long? RemoteBytes { get; init; }
}
