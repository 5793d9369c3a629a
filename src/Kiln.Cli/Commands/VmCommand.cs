using System.CommandLine;
using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Streaming.Store;
using Kiln.Vms;

namespace Kiln.Cli.Commands;

/// <summary><c>kiln vm run</c>: boots a VM from a stored version, its disk streamed from a region through the hydrating device.</summary>
public static class VmCommand
{
    public static Command Create()
    {
        var command = new Command("vm", "Run VMs from stored image versions.");
        command.Subcommands.Add(CreateRun());
        return command;
    }

    private static Command CreateRun()
    {
        var store = new Option<string?>("--store") { Description = "Region holding the version: a folder or a blob container URL (kiln image publish / replicate). Without it, --region names a region of the --data folder." };
        var manifest = new Option<string?>("--manifest") { Description = "Version name in the store (kiln image publish --name)." };
        var version = new Option<string?>("--version") { Description = "Instead of --manifest: the id of a gallery image version built by kiln serve (…/galleries/G/images/D/versions/1.0.0)." };
        var region = new Option<string?>("--region") { Description = "Without --store: the region to stream from, a folder of --data (e.g. eastus). With --store: the name shown in messages." };
        var data = new Option<string>("--data") { Description = "Data folder of the Kiln server whose regions --region names.", DefaultValueFactory = _ => ".kiln" };
        var latency = new Option<string>("--latency") { Description = "Modelled per-request latency to the region, e.g. 10ms (0 = none).", DefaultValueFactory = _ => "0ms" };
        var bandwidth = new Option<string?>("--bandwidth") { Description = "Modelled link bandwidth, e.g. 200MB/s (default: unlimited)." };
        var noPrefetch = new Option<bool>("--no-prefetch") { Description = "Do not stream the boot pack ahead of the guest (demand fetches only)." };
        var readyPattern = new Option<string>("--ready-pattern") { Description = "Regex on the serial console that means 'booted'.", DefaultValueFactory = _ => BootCompletion.DefaultReadyPattern };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before the VM is killed.", DefaultValueFactory = _ => 600 };
        var generation = new Option<string>("--generation") { Description = "gen1, gen2 or auto (inspect the image).", DefaultValueFactory = _ => "auto" };
        generation.AcceptOnlyFromAmong("auto", "gen1", "gen2");
        var memory = new Option<int>("--memory") { Description = "Guest memory in MiB.", DefaultValueFactory = _ => 512 };

        var command = new Command("run", "Boot a VM from a stored version through the hydrating device (cold cache) and report the time to ready and what was fetched.")
        {
            store, manifest, version, region, data, latency, bandwidth, noPrefetch, readyPattern, timeout, generation, memory,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(manifest) is null) == (result.GetValue(version) is null))
                result.AddError("Give the version to boot: --manifest NAME (kiln image publish --name) or --version GALLERY-VERSION-ID, not both.");
            if (result.GetValue(store) is null && result.GetValue(region) is null)
                result.AddError("Give where it streams from: --store DIR|CONTAINER-URL, or --region NAME for a region of the --data folder.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var link = RemoteLinkOptions.Parse(parse.GetValue(latency), parse.GetValue(bandwidth));
            var folder = parse.GetValue(store) is { } location
                ? RegionStoreLocator.Open(location, "--store", parse.GetValue(region))
                : DataRegion(parse.GetValue(data)!, parse.GetValue(region)!);
            var result = await StreamedVm.BootAsync(new StreamedVmOptions
            {
                Region = folder,
                // A gallery version's manifest is named after its id (ArtifactLayout), so the id finds it.
                ManifestName = parse.GetValue(manifest) ?? ArtifactLayout.ManifestName(parse.GetValue(version)!.Trim()),
                Link = link,
                Prefetch = !parse.GetValue(noPrefetch),
                Generation = parse.GetValue(generation) switch { "gen1" => MachineGeneration.Gen1, "gen2" => MachineGeneration.Gen2, _ => null },
                Completion = new BootCompletion
                {
                    ReadyPattern = new Regex(parse.GetValue(readyPattern)!, RegexOptions.CultureInvariant),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                },
                MemoryMiB = parse.GetValue(memory),
            }, ct);

            var s = result.Stats;
            Console.WriteLine($"{result.Generation} from region '{folder.Name}' (latency {link.Latency.TotalMilliseconds} ms, "
                + $"bandwidth {(link.BandwidthBytesPerSecond is { } b ? $"{b / 1e6:0.#} MB/s" : "unlimited")}, prefetch {(result.Prefetched ? "on" : "off")})");
            if (!result.Ready)
            {
                Console.Error.WriteLine(result.Boot.Describe());
                return 1;
            }
            Console.WriteLine($"ready in {result.SecondsToReady:0.00} s: {result.Boot.Boot.MatchedLine}");
            Console.WriteLine($"remote: {s.RemoteRequests} requests, {s.RemoteBytes} bytes "
                + $"(demand {s.DemandRequests} / {s.DemandBytes} B, prefetch {s.PrefetchRequests} / {s.PrefetchBytes} B); "
                + $"guest reads {s.Reads}, cache hits {s.CacheHits}, verification failures {s.VerificationFailures}"
                + (s.PrefetchError is null ? "" : $"; prefetch stopped: {s.PrefetchError}"));
            return 0;
        });
        return command;
    }

    /// <summary>A region store of a Kiln server's data folder; a region that holds nothing is named with the ones that do.</summary>
    private static IRegionStore DataRegion(string dataDir, string region)
    {
        var layout = new ArtifactLayout(Path.GetFullPath(dataDir));
        var directory = layout.RegionDirectory(region);
        // Checked before the store is opened: opening a folder store creates its folder.
        if (Directory.Exists(directory)) return layout.Region(region);
        var root = Path.GetDirectoryName(directory)!;
        var known = layout.ExistingRegions().Select(r => r.Name).ToList();
        throw new ArgumentException($"--region {region}: {root} holds no region '{Path.GetFileName(directory)}' "
            + (known.Count > 0 ? $"(it has {string.Join(", ", known)})" : "(no region there yet: is --data the folder kiln serve uses?)") + ".");
    }
}
