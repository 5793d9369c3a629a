using System.CommandLine;
using Kiln.Cli.Bench;

namespace Kiln.Cli.Commands;

/// <summary>
/// <c>kiln bench …</c>: benchmarks (not tests) that write their figures as JSON, most with a
/// plot. Speed targets live here, never as timed assertions in tests. One subcommand per subject.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and write its figures (JSON) and, where it has one, a plot (PNG).");
        bench.Subcommands.Add(ConvertBenchmark.CreateCommand());
        bench.Subcommands.Add(BenchOptimizeCommand.Create());
        bench.Subcommands.Add(BootBenchCommand.CreateCommand());
        return bench;
    }
}
