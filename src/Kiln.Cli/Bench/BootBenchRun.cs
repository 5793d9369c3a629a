namespace Kiln.Cli.Bench;

/// <summary>One measured boot of one case: time to ready, what crossed the modelled link, and (for the plot) cumulative bytes over time since QEMU started.</summary>
public sealed record BootBenchRun(double Seconds, long? RemoteRequests, long? RemoteBytes, IReadOnlyList<(double Seconds, long CumulativeBytes)> Timeline);
