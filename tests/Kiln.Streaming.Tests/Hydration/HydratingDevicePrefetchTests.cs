using Kiln.Streaming.Hydration;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Hydration;

public class HydratingDevicePrefetchTests
{
    [Fact]
    public async Task DemandReadForTheEndOfThePack_PreemptsTheStream()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 40);
        var remote = new RemoteRegionStore(img.Store, new RemoteLinkOptions { Latency = TimeSpan.FromMilliseconds(30) });
        var order = new List<string>();
        remote.RequestCompleted += r => { lock (order) order.Add(r.Key); };
        await using var device = await HydratingDevice.OpenAsync(remote, "v1", img.CachePath, new HydratingDeviceOptions { PrefetchDepth = 1 });
        var (offset, length) = img.Profile[^1]; // packed last

        device.StartPrefetch();
        var data = await TestImages.ReadAllAsync(device, offset, (int)length);
        var atDemand = device.GetStats();
        int chunkDoneAt;
        lock (order) chunkDoneAt = order.FindIndex(k => k.StartsWith(RegionKeys.ChunkPrefix, StringComparison.Ordinal));
        await device.PrefetchCompletion;
        var end = device.GetStats();

        Assert.Equal(img.Expected(offset, length), data);
        Assert.Equal(1, atDemand.DemandRequests);
        Assert.True(atDemand.PackSegmentsFetched < end.PackSegments,
            $"the demand read finished after the whole pack ({atDemand.PackSegmentsFetched} of {end.PackSegments} segments)");
        // In completion order, the chunk arrived before the pack's last segment did.
        int lastSegmentAt;
        lock (order) lastSegmentAt = order.FindLastIndex(k => k.StartsWith(RegionKeys.PackPrefix, StringComparison.Ordinal));
        Assert.True(chunkDoneAt >= 0 && chunkDoneAt < lastSegmentAt, $"chunk request #{chunkDoneAt}, last pack segment #{lastSegmentAt}");
        Assert.Equal(end.PackSegments, end.PackSegmentsFetched + end.PackSegmentsSkipped);
    }

    [Fact]
    public async Task DemandRead_IsNotQueuedBehindAStalledStream()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 40);
        var gate = new InterceptingStore(img.Store);
        gate.HoldPackReads();
        await using var device = await HydratingDevice.OpenAsync(gate, "v1", img.CachePath);
        var (offset, length) = img.Profile[^1];

        device.StartPrefetch();
        while (gate.PackReadsWaiting == 0) await Task.Delay(5); // the stream has started and is stuck
        var data = await TestImages.ReadAllAsync(device, offset, (int)length); // completes while every pack read is held

        Assert.Equal(img.Expected(offset, length), data);
        Assert.Equal(0, device.GetStats().PackSegmentsFetched);
        Assert.Equal(1, device.GetStats().DemandRequests);
        gate.ReleasePackReads();
        await device.PrefetchCompletion;
    }

    [Fact]
    public async Task DemandRead_InASegmentAlreadyInFlight_WaitsForItInsteadOfFetchingTheChunk()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 40);
        var gate = new InterceptingStore(img.Store);
        gate.HoldPackReads();
        await using var device = await HydratingDevice.OpenAsync(gate, "v1", img.CachePath, new HydratingDeviceOptions { PrefetchDepth = 1 });
        var (offset, length) = img.Profile[0]; // packed first: segment 0

        device.StartPrefetch();
        while (gate.PackReadsWaiting == 0) await Task.Delay(5); // segment 0 is requested and held
        var read = TestImages.ReadAllAsync(device, offset, (int)length);
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        gate.ReleasePackReads();
        var data = await read;

        Assert.Equal(img.Expected(offset, length), data);
        var stats = device.GetStats();
        Assert.Equal(0, stats.DemandRequests);
        Assert.Equal(1, stats.PrefetchJoins);
    }

    [Fact]
    public async Task RequestsForAColdOptimizedRead_AreAboutWorkingSetOverSegmentSize()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 40);
        var remote = new RemoteRegionStore(img.Store, new RemoteLinkOptions { Latency = TimeSpan.FromMilliseconds(2) });
        await using var device = await HydratingDevice.OpenAsync(remote, "v1", img.CachePath);

        device.StartPrefetch();
        foreach (var (offset, length) in img.Profile) // the "guest" reads its working set in first-touch order
            Assert.Equal(img.Expected(offset, length), await TestImages.ReadAllAsync(device, offset, (int)length));
        await device.PrefetchCompletion;

        var stats = device.GetStats();
        long workingSetRequests = (img.Manifest.BootPack!.Length + PublishedImage.Segment - 1) / PublishedImage.Segment;
        Assert.True(stats.RemoteRequests <= workingSetRequests + 2,
            $"{stats.RemoteRequests} remote requests ({stats.DemandRequests} demand, {stats.PrefetchRequests} prefetch) for {workingSetRequests} segments");
    }

    [Fact]
    public async Task HydrateRemainder_FetchesEveryOtherStoredChunkAfterThePack()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 10);
        await using var device = await HydratingDevice.OpenAsync(img.Store, "v1", img.CachePath, new HydratingDeviceOptions { HydrateRemainder = true });

        device.StartPrefetch();
        await device.PrefetchCompletion;
        var stats = device.GetStats();

        Assert.Equal(62, stats.BackgroundRequests); // 64 chunks, 2 of them zero
        Assert.Equal(img.Image, await TestImages.ReadAllAsync(device, 0, img.Image.Length));
        Assert.Equal(stats.RemoteRequests, device.GetStats().RemoteRequests);
    }
}
