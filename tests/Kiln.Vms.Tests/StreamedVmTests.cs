using System.Text.Json;
using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Storage.Formats;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;
using Kiln.TestImages;
using Xunit.Abstractions;

namespace Kiln.Vms.Tests;

/// <summary>
/// The project's one real streamed boot (two QEMU boots in all): the Gen2 test image is traced
/// once locally to get its boot profile, published with its boot pack to region "west",
/// replicated to "east", and booted from "east" over a modelled 10 ms / 200 MB/s link with the
/// pack prefetched. No timing is asserted; what is asserted is how the disk was fetched.
/// <para>
/// Set KILN_VMS_PROFILE_OUT=PATH to keep the profile (for <c>kiln bench boot --profile</c> until
/// <c>kiln optimize</c> exists), KILN_VMS_VARIANT=gen1 to run it on the Gen1 image instead, and
/// KILN_VMS_IMAGE=PATH to use that image file (test images are not byte-identical between builds).
/// </para>
/// </summary>
public sealed class StreamedVmTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-vms-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task OptimizedVersion_BootsFromSecondRegion_WithPackPrefetch_AndCleansUp()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = timeout.Token;
        var variant = Environment.GetEnvironmentVariable("KILN_VMS_VARIANT") ?? "gen2";
        var generation = variant == "gen1" ? MachineGeneration.Gen1 : MachineGeneration.Gen2;
        var ready = new Regex(Regex.Escape(InitScript.ReadyMarker), RegexOptions.CultureInvariant);
        var imagePath = Environment.GetEnvironmentVariable("KILN_VMS_IMAGE") is { Length: > 0 } given ? given : Path.Combine(_dir, variant + ".raw");
        if (!File.Exists(imagePath)) await TestImageFactory.BuildAsync(TestImageSpec.FromName(variant), imagePath, ct);

        var profile = await TracedBootProfile.RecordAsync(imagePath, generation, ready, Path.Combine(_dir, "trace"), ct);
        if (Environment.GetEnvironmentVariable("KILN_VMS_PROFILE_OUT") is { Length: > 0 } keep)
            await File.WriteAllBytesAsync(keep, JsonSerializer.SerializeToUtf8Bytes(profile), ct);
        Assert.True(profile.WorkingSetBytes > 0);

        var west = new LocalFolderRegionStore(Path.Combine(_dir, "west"));
        var east = new LocalFolderRegionStore(Path.Combine(_dir, "east"));
        await using (var image = await DiskImage.OpenAsync(imagePath, writable: false, ct))
            await new ImageStore(west).PublishAsync(image.Device, "v1", profile, ct);
        var replicated = await Replicator.ReplicateAsync("v1", west, east, ct);
        Assert.True(replicated.PackCopied);

        var tempRoot = Path.Combine(_dir, "boots");
        Directory.CreateDirectory(tempRoot);
        var result = await StreamedVm.BootAsync(new StreamedVmOptions
        {
            Region = east,
            ManifestName = "v1",
            Link = RemoteLinkOptions.Parse("10ms", "200MB/s"),
            Completion = new BootCompletion { ReadyPattern = ready, Timeout = TimeSpan.FromMinutes(10) },
            TempRoot = tempRoot,
        }, ct);

        var s = result.Stats;
        output.WriteLine($"ready {result.SecondsToReady:0.00} s; working set {profile.WorkingSetBytes} B in {profile.Extents.Count} extents; "
            + $"remote {s.RemoteRequests} requests / {s.RemoteBytes} B (prefetch {s.PrefetchRequests}, demand {s.DemandRequests}); "
            + $"reads {s.Reads}, hits {s.CacheHits}, joins {s.PrefetchJoins}");
        Assert.True(result.Ready, result.Boot.Describe());
        Assert.Equal(generation, result.Generation); // detected from the streamed disk itself
        Assert.True(result.Prefetched);
        Assert.Null(s.PrefetchError);
        Assert.Equal(0, s.VerificationFailures);
        Assert.True(s.PrefetchRequests > 0, "the boot pack was streamed");

        // The pack carries the working set in 4 MiB segments; what the profile missed (a boot is
        // not perfectly repeatable) costs one chunk request each: allow a few.
        long packSegments = (profile.WorkingSetBytes + (4 << 20) - 1) / (4 << 20);
        const int slack = 6;
        Assert.True(s.RemoteRequests <= packSegments + slack,
            $"{s.RemoteRequests} remote requests for a {profile.WorkingSetBytes}-byte working set ({packSegments} pack segments + {slack} slack)");

        // Cleanup: no QEMU left, the cache, socket and VM folder gone.
        Assert.False(Kiln.Testing.ProcessTable.Any(result.Boot.VmName), $"QEMU {result.Boot.VmName} still runs");
        Assert.Empty(Directory.GetFileSystemEntries(tempRoot));
    }
}
