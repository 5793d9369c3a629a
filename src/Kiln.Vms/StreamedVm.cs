using Kiln.Machines;
using Kiln.Storage.Stack;
using Kiln.Streaming.Hydration;
using Kiln.Streaming.Store;

namespace Kiln.Vms;

/// <summary>
/// Boots a VM from a stored image version, its disk streamed from a region:
/// <code>
///   region ─[RemoteRegionStore: latency, bandwidth]─► HydratingDevice (cold cache in a private temp folder,
///          boot pack prefetched when the version has one) ─► copy-on-write overlay ─► NBD ─► QEMU ─► ready line
/// </code>
/// Everything the boot creates (cache file, socket, VM folder, QEMU) is gone when this returns, on every path.
/// </summary>
public static class StreamedVm
{
    public static async Task<StreamedBootResult> BootAsync(StreamedVmOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var work = Path.Combine(options.TempRoot ?? Path.GetTempPath(), "kiln-streamed-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            IRegionStore region = options.Link is { } link ? new RemoteRegionStore(options.Region, link) : options.Region;
            var generation = options.Generation ?? await DetectGenerationAsync(region, options.ManifestName, Path.Combine(work, "probe.cache"), ct);

            var time = options.Hydration.TimeProvider;
            await using var hydrating = await HydratingDevice.OpenAsync(region, options.ManifestName, Path.Combine(work, "disk.cache"), options.Hydration, ct);
            var opened = time.GetTimestamp();
            bool prefetch = options.Prefetch && hydrating.HasBootPack;
            if (prefetch) hydrating.StartPrefetch();

            // The guest writes (logs, journal) land in the overlay; the hydrating device is read-only.
            await using var disk = BlockStack.Over(hydrating, ownsDevice: false).Overlay().Build();
            TimeSpan qemuStart = TimeSpan.Zero;
            HydrationStats? atReady = null;
            var boot = await DeviceBoot.RunAsync(disk, new DeviceBootOptions
            {
                Generation = generation,
                Completion = options.Completion,
                WorkDirectory = Path.Combine(work, "boot"),
                MemoryMiB = options.MemoryMiB,
                Bus = options.Bus,
                OnStarted = () => qemuStart = time.GetElapsedTime(opened),
                OnCompleted = _ => atReady = hydrating.GetStats(),
            }, ct);
            return new StreamedBootResult(boot, generation, prefetch, atReady ?? hydrating.GetStats(), qemuStart);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Inspects the version through its own throw-away cache, so these reads neither warm nor count in the boot.</summary>
    public static async Task<MachineGeneration> DetectGenerationAsync(IRegionStore region, string manifestName, string cachePath, CancellationToken ct = default)
    {
        try
        {
            await using var probe = await HydratingDevice.OpenAsync(region, manifestName, cachePath, HydratingDeviceOptions.Default, ct);
            return await GenerationProbe.DetectAsync(probe, ct);
        }
        finally
        {
            File.Delete(cachePath);
            File.Delete(cachePath + ".present");
        }
    }
}
