using System.Text.RegularExpressions;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Bench;

/// <summary>Inputs of <see cref="BootBenchmark"/>.</summary>
public sealed record BootBenchOptions
{
    public required string ImagePath { get; init; }
    public required RemoteLinkOptions Link { get; init; }
    public int Runs { get; init; } = 3;
    public required Regex ReadyPattern { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>The boot profile for the optimized case (kiln optimize); null = record one with the boot optimizer first.</summary>
    public string? ProfilePath { get; init; }
    public bool IncludeNbdkit { get; init; } = true;
    /// <summary>Adds nbdkit's readahead filter above its cache (see NbdkitPeerOptions.Readahead for why it is off by default).</summary>
    public bool NbdkitReadahead { get; init; }
    public required string JsonPath { get; init; }
    public required string PlotPath { get; init; }
    public Action<string> Log { get; init; } = _ => { };
}
