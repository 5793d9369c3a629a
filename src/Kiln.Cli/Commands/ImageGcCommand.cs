using System.CommandLine;
using System.Globalization;
using Kiln.Streaming.Collection;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Commands;

/// <summary><c>kiln image gc</c>: frees the chunks and boot packs no manifest of a region uses (see RegionCollector).</summary>
public static class ImageGcCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "Region to collect: a folder or a blob container URL (see kiln image --help).", Required = true };
        var grace = new Option<string>("--grace")
        {
            Description = "Keep unreferenced objects modified this recently (e.g. 30s, 10m, 2h, 1d; 0 only when nothing writes to the region): "
                + "a publish stores its chunks before its manifest, so they look unused until it finishes. Default 10m.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be freed." };
        var command = new Command("gc", "Delete the chunks and boot packs that no version manifest in the region uses; versions (manifests) are never deleted.")
        {
            store, grace, dryRun,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new CollectionOptions
            {
                Grace = ParseGrace(parse.GetValue(grace)),
                DryRun = parse.GetValue(dryRun),
            };
            var region = RegionStoreLocator.Open(parse.GetValue(store)!, "--store");
            var report = await new RegionCollector(region).CollectAsync(options, ct);
            var output = parse.InvocationConfiguration.Output;
            string verb = report.DryRun ? "would free" : "freed";
            foreach (var item in report.Freed.OrderBy(o => o.Key, StringComparer.Ordinal))
                await output.WriteLineAsync($"{verb} {item.Key} ({item.Length} bytes)");
            await output.WriteLineAsync($"{region}: {report.Manifests} manifests; {verb} {report.FreedObjects} objects ({Size(report.FreedBytes)}); "
                + $"kept {report.KeptObjects} objects ({Size(report.KeptBytes)}), of them {report.YoungObjects} unused but younger than the grace "
                + $"({Size(report.YoungBytes)})" + (report.DryRun ? "; dry run: nothing was deleted" : ""));
            return 0;
        });
        return command;
    }

    /// <summary>"0", or a number with s, m, h or d ("90s", "10m", "2h", "1d").</summary>
    public static TimeSpan ParseGrace(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return CollectionOptions.DefaultGrace;
        var s = text.Trim();
        if (s == "0") return TimeSpan.Zero;
        if (s.Length >= 2 && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && n < 100_000)
        {
            switch (s[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new ArgumentException($"--grace '{text}': give a duration such as 30s, 10m, 2h or 1d (or 0).");
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} bytes",
    };
}
