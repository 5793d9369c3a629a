using Kiln.Machines;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Stack;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;
using Kiln.Vms;

namespace Kiln.Cli.Bench;

/// <summary>
/// <c>kiln bench boot</c>: the time to ready of one image served four ways, interleaved run by
/// run so that every case shares the machine's noise:
/// <code>
///   local      image file ─► QEMU (snapshot=on)                                        (the floor, C)
///   localNbd   image file ─► read-only ─► trace ─► overlay ─► Kiln NBD ─► QEMU        (Kiln's own stack, no link)
///   streamed   region ─[latency, bandwidth]─► hydrating device (cold, demand only) ─► overlay ─► NBD ─► QEMU
///   optimized  same, the version published with the boot profile: boot pack prefetched from the start
///   nbdkit     nbdkit [readahead ─►] cache ─► log ─► stats ─► rate ─► delay ─► file (the peer, same link model)
/// </code>
/// Both versions live in one temp region (the second publish only adds the pack); everything is
/// deleted afterwards. <c>local</c> is the floor the ratios use: no Kiln between QEMU and the file.
/// <c>localNbd</c> shows what Kiln's NBD stack costs by itself, and its trace draws the local curve.
/// </summary>
public static class BootBenchmark
{
    public const string Local = "local", LocalNbd = "localNbd", Streamed = "streamed", Optimized = "optimized", Nbdkit = "nbdkit";

    public static async Task<BootBenchReport> RunAsync(BootBenchOptions o, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Runs, 1);
        var work = Directory.CreateTempSubdirectory("kiln-bench-boot-").FullName;
        try
        {
            await using var image = await DiskImage.OpenAsync(o.ImagePath, writable: false, ct);
            var generation = GenerationProbe.From((await ImageInspector.InspectAsync(image, ct)).HyperVGeneration);
            // No profile given: record one now, as `kiln optimize` would (the boots it takes are not timed here).
            var profile = o.ProfilePath is { } given
                ? await Commands.ImageCommand.ReadProfileAsync(given, ct)
                : (await Kiln.Optimization.BootOptimizer.OptimizeAsync(o.ImagePath, new Kiln.Optimization.BootOptimizerOptions { Log = o.Log }, ct)).Profile;

            var region = new LocalFolderRegionStore(Path.Combine(work, "region"), "bench");
            var store = new ImageStore(region);
            await store.PublishAsync(image.Device, Streamed, null, ct);
            var published = await store.PublishAsync(image.Device, Optimized, profile, ct);
            o.Log($"{generation}: published {image.Device.Length} bytes; boot pack {published.PackBytes} bytes for a {profile.WorkingSetBytes}-byte working set");

            var cases = new List<string> { Local, LocalNbd, Streamed, Optimized };
            if (o.IncludeNbdkit && image.Format == "raw") cases.Add(Nbdkit);
            else if (o.IncludeNbdkit) o.Log($"nbdkit case skipped: its file plugin serves raw images, this one is {image.Format}");

            var runs = cases.ToDictionary(c => c, _ => new List<BootBenchRun>());
            var completion = new BootCompletion { ReadyPattern = o.ReadyPattern, Timeout = o.Timeout };
            for (int run = 1; run <= o.Runs; run++)
            {
                foreach (var name in cases)
                {
                    var dir = Path.Combine(work, $"{name}-{run}");
                    var result = name switch
                    {
                        Local => await BootFileAsync(image, generation, completion, dir, ct),
                        LocalNbd => await BootLocalNbdAsync(image, generation, completion, dir, ct),
                        Nbdkit => await BootNbdkitAsync(image.Path, o, generation, completion, dir, ct),
                        _ => await BootStreamedAsync(region, name, o.Link, generation, completion, work, ct),
                    };
                    runs[name].Add(result);
                    o.Log($"run {run}/{o.Runs} {name,-9} ready in {result.Seconds,7:0.00} s, remote requests {result.RemoteRequests?.ToString() ?? "?"}, bytes {result.RemoteBytes?.ToString() ?? "?"}");
                }
            }
            return BootBenchReport.From(Path.GetFileName(o.ImagePath), generation, o.Link, profile.WorkingSetBytes, runs);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<BootBenchRun> BootFileAsync(OpenedImage image, MachineGeneration generation, BootCompletion completion, string dir, CancellationToken ct)
    {
        var format = image.Format switch
        {
            "raw" => "raw",
            "qcow2" => "qcow2",
            _ => "vpc", // both VHD kinds
        };
        var boot = await DeviceBoot.RunAsync(DiskSource.File(image.Path, format), new DeviceBootOptions
        {
            Generation = generation,
            Completion = completion,
            WorkDirectory = dir,
        }, ct);
        return new BootBenchRun(Ready(boot, Local), 0, 0, []); // QEMU reads the file itself: nothing to trace
    }

    private static async Task<BootBenchRun> BootLocalNbdAsync(OpenedImage image, MachineGeneration generation, BootCompletion completion, string dir, CancellationToken ct)
    {
        await using var disk = BlockStack.Over(image.Device, ownsDevice: false).ReadOnly().Trace(out var trace).Overlay().Build();
        IReadOnlyList<BootTraceRead> reads = [];
        var boot = await DeviceBoot.RunAsync(disk, new DeviceBootOptions
        {
            Generation = generation,
            Completion = completion,
            WorkDirectory = dir,
            OnStarted = trace.Restart,
            OnCompleted = _ => reads = trace.Snapshot(),
        }, ct);
        var seconds = Ready(boot, LocalNbd);
        long total = 0;
        var timeline = reads.Select(r => (r.Time.TotalSeconds, total += r.Length)).ToList();
        return new BootBenchRun(seconds, 0, 0, timeline); // nothing crossed a link; the curve shows the image-file reads
    }

    private static async Task<BootBenchRun> BootStreamedAsync(LocalFolderRegionStore region, string version, RemoteLinkOptions link,
        MachineGeneration generation, BootCompletion completion, string work, CancellationToken ct)
    {
        var result = await StreamedVm.BootAsync(new StreamedVmOptions
        {
            Region = region,
            ManifestName = version,
            Link = link,
            Prefetch = version == Optimized,
            Generation = generation,
            Completion = completion,
            TempRoot = work,
        }, ct);
        var seconds = Ready(result.Boot, version);
        var timeline = result.Stats.Timeline
            .Select(s => ((s.Elapsed - result.QemuStartOffset).TotalSeconds, s.CumulativeBytes)).ToList();
        return new BootBenchRun(seconds, result.RemoteRequests, result.RemoteBytes, timeline);
    }

    private static async Task<BootBenchRun> BootNbdkitAsync(string imagePath, BootBenchOptions o, MachineGeneration generation,
        BootCompletion completion, string dir, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var log = Path.Combine(dir, "nbdkit-requests.log");
        await using var peer = await NbdkitPeer.StartAsync(new NbdkitPeerOptions
        {
            ImagePath = imagePath,
            SocketPath = Path.Combine(dir, "nbdkit.sock"),
            Latency = o.Link.Latency,
            BytesPerSecond = o.Link.BandwidthBytesPerSecond,
            StatsFile = Path.Combine(dir, "nbdkit-stats.txt"),
            LogFile = log,
            Readahead = o.NbdkitReadahead,
        }, TimeSpan.FromSeconds(30), ct);
        var qemuStart = DateTime.Now; // nbdkit's log is in local time
        var boot = await DeviceBoot.RunAsync(DiskSource.Nbd(peer.NbdUri, discardWrites: true), new DeviceBootOptions
        {
            Generation = generation,
            Completion = completion,
            WorkDirectory = dir,
            OnStarted = () => qemuStart = DateTime.Now,
        }, ct);
        var seconds = Ready(boot, "nbdkit");
        var stats = await peer.StopAsync(ct); // counts up to the VM's stop: a little after ready
        // The log is written as requests happen, so it has the curve (and the counts, when nbdkit died before its stats).
        var reads = NbdkitLog.Read(log);
        long total = 0;
        var timeline = reads.Select(r => ((r.CompletedAt - qemuStart).TotalSeconds, total += r.Bytes)).ToList();
        return new BootBenchRun(seconds, stats?.ReadRequests ?? reads.Count, stats?.ReadBytes ?? total,
            timeline.TakeWhile(p => p.Item1 <= seconds).ToList()); // the curve stops at ready, like the other cases'
    }

    private static double Ready(DeviceBootResult boot, string name) =>
        boot.Ready && boot.Boot.SecondsToReady is { } s
            ? s
            : throw new InvalidOperationException($"{name} boot did not reach the ready pattern: {boot.Describe()}");
}
