namespace Kiln.Cli.Bench;

/// <summary>
/// One benchmark figure: the best wall time over the runs and the throughput over the bytes it
/// moved; the least CPU time (user + system, including child processes) of any run.
/// </summary>
public sealed record Measurement(double Seconds, double MBPerSecond, double CpuSeconds, double[] AllRunsSeconds);
