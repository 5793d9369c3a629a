using System.CommandLine;
using Kiln.Cli.Commands;

namespace Kiln.Cli.Tests.Commands;

/// <summary>`kiln serve --database`: which store is chosen, and a store that cannot open is one line and exit 1.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-cli-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("Host=a", "Host=b", "Host=a", "--database")]
    [InlineData(null, "Host=b", "Host=b", "KILN_DATABASE")]
    [InlineData("", "Host=b", "Host=b", "KILN_DATABASE")]
    [InlineData(null, " ", null, "--database")]
    [InlineData(null, null, null, "--database")]
    public void OptionWinsOverEnvironmentAndBlankMeansSqlite(string? option, string? env, string? expected, string source) =>
        Assert.Equal((expected, source), ServeCommand.ResolveDatabase(option, env));

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--no-appliance-network" }, false)]
    public void TheApplianceNetworkIsOnUnlessTurnedOff(string[] extra, bool network)
    {
        var root = new RootCommand { ServeCommand.Create() };
        var parse = root.Parse(["serve", "--data", _dir, .. extra]);
        Assert.Empty(parse.Errors);
        Assert.Equal(network, ServeCommand.EngineOptions(parse).Appliance.Network);
    }

    [Theory]
    [InlineData("--page-size", "0", "--page-size must be 1..1000.")]
    [InlineData("--operation-retention-days", "-1", "--operation-retention-days must be 0..3650")]
    public void OutOfRangeListAndRetentionSettingsAreParseErrors(string option, string value, string expected)
    {
        var root = new RootCommand { ServeCommand.Create() };
        var parsed = root.Parse(["serve", "--data", _dir, option, value]);
        Assert.Contains(parsed.Errors, e => e.Message.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Host=/nonexistent-kiln-socket-dir;Database=kiln", "kiln: --database: cannot reach PostgreSQL")]
    [InlineData("Nonsense=1", "kiln: --database: the PostgreSQL connection string is not valid")]
    public async Task AStoreThatCannotOpenIsOneLineAndExitOne(string connectionString, string expected)
    {
        var root = new RootCommand { ServeCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await root.Parse(["serve", "--data", _dir, "--port", "0", "--database", connectionString])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(1, code);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line);
        Assert.DoesNotContain("Exception", line); // no type names or stack frames, just the sentence
    }
}
