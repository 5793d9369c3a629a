namespace Kiln.Cli.Bench;

/// <summary>One benchmark figure: the best wall time over the runs, and the throughput over the bytes it moved.</summary>
public sealed record Measurement(double Seconds, double MBPerSecond, double[] AllRunsSeconds);
