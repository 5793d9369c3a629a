using System.CommandLine;
using Kiln.Control.Builds;

namespace Kiln.Cli.Commands;

/// <summary>
/// <c>kiln logs TEMPLATE [-g RG] [--data DIR] [-f]</c>: prints the customization.log of the template's newest
/// run from the data folder; -f follows it while the run writes (stops when the run's log says it ended).
/// </summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var template = new Argument<string>("TEMPLATE") { Description = "Image template name." };
        var group = new Option<string?>("--resource-group", "-g") { Description = "Resource group (needed when the name is in several)." };
        var data = new Option<string>("--data") { Description = "Data folder of the Kiln server.", DefaultValueFactory = _ => ".kiln" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing lines as the run writes them." };
        var command = new Command("logs", "Show the customization.log of an image template's newest run.") { group, data, follow };
        command.Arguments.Add(template);
        command.SetAction(async (parse, ct) =>
        {
            string root = Path.Combine(Path.GetFullPath(parse.GetValue(data)!), "logs");
            string name = parse.GetValue(template)!.ToLowerInvariant();
            string? rg = parse.GetValue(group)?.ToLowerInvariant();
            var folders = Directory.Exists(root)
                ? Directory.GetDirectories(root).SelectMany(Directory.GetDirectories)
                    .Where(g => rg is null || Path.GetFileName(g) == rg)
                    .Select(g => Path.Combine(g, name)).Where(Directory.Exists).ToList()
                : [];
            if (folders.Count == 0)
            {
                Console.Error.WriteLine($"kiln: logs: no runs of template '{parse.GetValue(template)}' under {root}.");
                return 1;
            }
            if (folders.Count > 1)
            {
                Console.Error.WriteLine($"kiln: logs: '{parse.GetValue(template)}' is in several groups; pass -g: " +
                                        string.Join(", ", folders.Select(f => Path.GetFileName(Path.GetDirectoryName(f)))));
                return 1;
            }
            string log = BuildPaths.LatestLog(folders[0])!;
            await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (!ct.IsCancellationRequested)
            {
                string? line = await reader.ReadLineAsync(ct);
                if (line is not null)
                {
                    Console.WriteLine(line);
                    continue;
                }
                if (!parse.GetValue(follow) || RunEnded(log))
                    break;
                await Task.Delay(500, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            return 0;
        });
        return command;
    }

    // The engine's last line of every run is about the staging folder.
    private static bool RunEnded(string log) =>
        File.ReadLines(log).LastOrDefault() is { } last && last.IndexOf(' ') is > 0 and var space &&
        last[(space + 1)..].StartsWith("staging ", StringComparison.Ordinal);
}
