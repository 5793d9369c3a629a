namespace Kiln.Cli.Bench;

/// <summary>One line of a benchmark plot: a case name and its (x, y) points.</summary>
public sealed record BenchSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
