using System.CommandLine;
using Kiln.Cli.Bench;

namespace Kiln.Cli.Commands;

/// <summary>
/// <c>kiln bench …</c>: benchmarks that write their results as JSON. Each benchmark is a
/// subcommand built in Bench/; add new ones to the list below.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Run a benchmark and write its results as JSON (speed targets live here, not in tests).");
        command.Subcommands.Add(ConvertBenchmark.CreateCommand());
        command.Subcommands.Add(BootBenchCommand.CreateCommand());
        return command;
    }
}
