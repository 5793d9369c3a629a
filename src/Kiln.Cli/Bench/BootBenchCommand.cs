using System.CommandLine;
using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Bench;

/// <summary><c>kiln bench boot</c>: parses the options of <see cref="BootBenchmark"/>, runs it, writes the JSON and the plot, prints the figures.</summary>
public static class BootBenchCommand
{
    public static Command CreateCommand()
    {
        var image = new Option<FileInfo>("--image") { Description = "Disk image to boot (a test image: kiln testimage build).", Required = true };
        var latency = new Option<string>("--latency") { Description = "Per-request latency of the modelled remote region.", DefaultValueFactory = _ => "10ms" };
        var bandwidth = new Option<string>("--bandwidth") { Description = "Bandwidth of the modelled link.", DefaultValueFactory = _ => "200MB/s" };
        var runs = new Option<int>("--runs") { Description = "Boots per case (the median is reported); cases are interleaved run by run.", DefaultValueFactory = _ => 3 };
        var readyPattern = new Option<string>("--ready-pattern") { Description = "Regex on the serial console that means 'booted'.", DefaultValueFactory = _ => BootCompletion.DefaultReadyPattern };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before a boot is killed (and the benchmark fails).", DefaultValueFactory = _ => 600 };
        var profile = new Option<FileInfo?>("--profile") { Description = "Boot profile JSON of the image (kiln optimize IMAGE --out PROFILE.json); without it the benchmark records one first." };
        var noNbdkit = new Option<bool>("--no-nbdkit") { Description = "Leave out the nbdkit peer." };
        var nbdkitReadahead = new Option<bool>("--nbdkit-readahead") { Description = "Add nbdkit's readahead filter above its cache (nbdkit 1.32's can crash when a connection closes)." };
        var json = new Option<FileInfo>("--json") { Description = "Write the figures here.", Required = true };
        var plot = new Option<FileInfo>("--plot") { Description = "Write the PNG plot here.", Required = true };

        var command = new Command("boot", "Time to ready of an image: local disk, streamed cold, streamed with boot pack, and nbdkit at the same latency.")
        {
            image, latency, bandwidth, runs, readyPattern, timeout, profile, noNbdkit, nbdkitReadahead, json, plot,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(runs) < 1) result.AddError("--runs must be at least 1.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var report = await BootBenchmark.RunAsync(new BootBenchOptions
            {
                ImagePath = parse.GetValue(image)!.FullName,
                Link = RemoteLinkOptions.Parse(parse.GetValue(latency), parse.GetValue(bandwidth)),
                Runs = parse.GetValue(runs),
                ReadyPattern = new Regex(parse.GetValue(readyPattern)!, RegexOptions.CultureInvariant),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                ProfilePath = parse.GetValue(profile)?.FullName,
                IncludeNbdkit = !parse.GetValue(noNbdkit),
                NbdkitReadahead = parse.GetValue(nbdkitReadahead),
                JsonPath = parse.GetValue(json)!.FullName,
                PlotPath = parse.GetValue(plot)!.FullName,
                Log = line => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}"),
            }, ct);
            await report.WriteJsonAsync(parse.GetValue(json)!.FullName, ct);
            report.WritePlot(parse.GetValue(plot)!.FullName);
            foreach (var (name, c) in report.Cases)
                Console.WriteLine($"{name,-9} {c.Seconds,7:0.00} s  remote requests {c.RemoteRequests?.ToString() ?? "-",7}  bytes {c.RemoteBytes?.ToString() ?? "-"}");
            Console.WriteLine($"optimizedOverLocal {report.OptimizedOverLocal?.ToString("0.000") ?? "-"} (target ≤ 1.10), "
                + $"gainCaptured {report.GainCaptured?.ToString("0.000") ?? "-"} (target ≥ 0.90), "
                + $"optimized request budget {report.OptimizedRequestBudget?.ToString("0.0") ?? "-"}");
            return 0;
        });
        return command;
    }
}
