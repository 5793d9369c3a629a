using Kiln.Streaming.Hydration;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;
using Kiln.Streaming.Tests.Replication;

namespace Kiln.Streaming.Tests.Hydration;

public class HydratingDeviceVerificationTests
{
    [Fact]
    public async Task CorruptChunk_IsRefetchedOnce_ThenFailsNamingChunkHashAndRegion()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 0);
        var hash = img.Manifest.Chunks[12]!;
        ReplicatorTests.FlipByte(img.Store.PathOf(RegionKeys.Chunk(hash)), 777);
        var gate = new InterceptingStore(img.Store);
        await using var device = await HydratingDevice.OpenAsync(gate, "v1", img.CachePath);

        var e = await Assert.ThrowsAsync<ChunkVerificationException>(async () => await TestImages.ReadAllAsync(device, 12L * PublishedImage.Chunk + 100, 10));

        Assert.Equal(12, e.Index);
        Assert.Equal(hash, e.ExpectedHash);
        Assert.Equal("west", e.Region);
        Assert.Contains(hash, e.Message);
        Assert.Equal(2, gate.ReadKeys.Count(k => k == RegionKeys.Chunk(hash)));
        Assert.Equal(2, device.GetStats().VerificationFailures);
        // Still failing, never stale: a later read retries and fails the same way.
        await Assert.ThrowsAsync<ChunkVerificationException>(async () => await TestImages.ReadAllAsync(device, 12L * PublishedImage.Chunk, 10));
        // Other chunks are unaffected.
        Assert.Equal(img.Expected(0, 10), await TestImages.ReadAllAsync(device, 0, 10));
    }

    [Fact]
    public async Task TransientCorruption_IsRefetched_AndOnlyGoodDataServed()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 0);
        var gate = new InterceptingStore(img.Store);
        gate.CorruptFirstReadOf(RegionKeys.Chunk(img.Manifest.Chunks[3]!));
        await using var device = await HydratingDevice.OpenAsync(gate, "v1", img.CachePath);

        Assert.Equal(img.Expected(3L * PublishedImage.Chunk, PublishedImage.Chunk),
            await TestImages.ReadAllAsync(device, 3L * PublishedImage.Chunk, PublishedImage.Chunk));
        Assert.Equal(1, device.GetStats().VerificationFailures);
        Assert.Equal(2, device.GetStats().DemandRequests);
    }

    [Fact]
    public async Task CorruptPackSegment_IsNotUsed_ReadsFallBackToVerifiedChunks()
    {
        using var img = await PublishedImage.CreateAsync(bootExtents: 40);
        ReplicatorTests.FlipByte(img.Store.PathOf(RegionKeys.Pack(img.Manifest.BootPack!.Id)), PublishedImage.Segment + 5); // segment 1
        await using var device = await HydratingDevice.OpenAsync(img.Store, "v1", img.CachePath);

        device.StartPrefetch();
        await device.PrefetchCompletion;
        foreach (var (offset, length) in img.Profile)
            Assert.Equal(img.Expected(offset, length), await TestImages.ReadAllAsync(device, offset, (int)length));

        var stats = device.GetStats();
        Assert.Contains("pack segment 1", stats.PrefetchError);
        Assert.Equal(2, stats.VerificationFailures);
        Assert.True(stats.DemandRequests >= 1);
    }
}
