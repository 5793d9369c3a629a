using System.CommandLine;

namespace Kiln.Cli.Commands;

/// <summary>`kiln bench …`: benchmarks (not tests): figures as JSON plus a plot. One subcommand per subject.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and write its figures (JSON) and a plot (PNG).");
        bench.Subcommands.Add(BenchOptimizeCommand.Create());
        return bench;
    }
}
