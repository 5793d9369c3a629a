using Kiln.Storage.Blocks;
using Kiln.Streaming.Hydration;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Hydration;

public class HydratingDeviceTests
{
    [Fact]
    public async Task Reads_ReturnTheImage_FetchEachChunkOnce_AndNeverFetchZeroChunks()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 0);
        var remote = new RemoteRegionStore(img.Store, RemoteLinkOptions.Local);
        await using var device = await HydratingDevice.OpenAsync(remote, "v1", img.CachePath);
        var random = new Random(12);
        var reads = Enumerable.Range(0, 60).Select(_ =>
        {
            long offset = random.NextInt64(0, img.Image.Length - 1);
            return (offset, (int)Math.Min(random.Next(1, 200_000), img.Image.Length - offset));
        }).Append((7L * PublishedImage.Chunk, PublishedImage.Chunk)).ToArray(); // a zero chunk

        foreach (var (offset, length) in reads)
            Assert.Equal(img.Expected(offset, length), await TestImages.ReadAllAsync(device, offset, length));
        var first = device.GetStats();
        foreach (var (offset, length) in reads)
            Assert.Equal(img.Expected(offset, length), await TestImages.ReadAllAsync(device, offset, length));
        var second = device.GetStats();

        var touched = reads.SelectMany(r => Enumerable.Range((int)(r.Item1 / PublishedImage.Chunk), (int)((r.Item1 + r.Item2 - 1) / PublishedImage.Chunk - r.Item1 / PublishedImage.Chunk + 1)))
            .Distinct().Count(c => img.Manifest.Chunks[c] is not null);
        Assert.Equal(touched, first.DemandRequests);
        Assert.Equal(touched, remote.Requests - 2); // plus the manifest's head + get
        Assert.Equal(first.RemoteRequests, second.RemoteRequests); // the second pass is all cache
        Assert.False(device.CanWrite);
        await Assert.ThrowsAsync<BlockDeviceReadOnlyException>(async () => await device.WriteAsync(0, new byte[512]));
    }

    [Fact]
    public async Task Cache_IsReusedAfterReopen_ButNotForAnotherVersion()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 0);
        await using (var device = await HydratingDevice.OpenAsync(img.Store, "v1", img.CachePath))
            await TestImages.ReadAllAsync(device, 0, img.Image.Length);

        await using (var again = await HydratingDevice.OpenAsync(img.Store, "v1", img.CachePath))
        {
            Assert.Equal(img.Image, await TestImages.ReadAllAsync(again, 0, img.Image.Length));
            Assert.Equal(0, again.GetStats().RemoteRequests);
        }

        var other = img.Manifest with { Chunks = img.Manifest.Chunks.Select((h, i) => i == 0 ? null : h).ToArray() };
        await using var otherVersion = HydratingDevice.Open(other, img.Store, img.CachePath);
        Assert.Equal(new byte[100], await TestImages.ReadAllAsync(otherVersion, 0, 100)); // chunk 0 is zero in that version
        Assert.Equal(img.Expected(PublishedImage.Chunk, 100), await TestImages.ReadAllAsync(otherVersion, PublishedImage.Chunk, 100));
        Assert.Equal(1, otherVersion.GetStats().RemoteRequests); // its cache started empty
    }

    [Fact]
    public async Task Prefetch_BringsTheWholeWorkingSet_InSegmentSizedRequests()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 40);
        var remote = new RemoteRegionStore(img.Store, RemoteLinkOptions.Local);
        await using var device = await HydratingDevice.OpenAsync(remote, "v1", img.CachePath);

        device.StartPrefetch();
        await device.PrefetchCompletion;
        foreach (var (offset, length) in img.Profile)
            Assert.Equal(img.Expected(offset, length), await TestImages.ReadAllAsync(device, offset, (int)length));

        var stats = device.GetStats();
        var pack = img.Manifest.BootPack!;
        Assert.Equal(pack.SegmentCount, stats.PrefetchRequests);
        Assert.Equal(pack.Length, stats.PrefetchBytes);
        Assert.Equal(0, stats.DemandRequests);
        Assert.True(stats.PrefetchCompleted);
        Assert.Null(stats.PrefetchError);
        Assert.Equal(pack.SegmentCount, stats.Timeline.Count);
        Assert.Equal(pack.Length, stats.Timeline[^1].CumulativeBytes);
    }

    [Fact]
    public async Task ConcurrentReadsOfOneChunk_ShareOneRemoteRequest()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 0);
        var remote = new RemoteRegionStore(img.Store, new RemoteLinkOptions { Latency = TimeSpan.FromMilliseconds(50) });
        await using var device = await HydratingDevice.OpenAsync(remote, "v1", img.CachePath);
        long before = remote.Requests;
        long chunk = 5L * PublishedImage.Chunk;

        var reads = Enumerable.Range(0, 8).Select(i => TestImages.ReadAllAsync(device, chunk + i * 4096, 4096)).ToArray();
        var results = await Task.WhenAll(reads);

        for (int i = 0; i < results.Length; i++) Assert.Equal(img.Expected(chunk + i * 4096, 4096), results[i]);
        Assert.Equal(1, remote.Requests - before);
        Assert.Equal(1, device.GetStats().DemandRequests);
        Assert.Equal(7, device.GetStats().CoalescedFetches);
    }
}
