using Kiln.Storage.Blocks;
using Kiln.Streaming.Collection;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Streaming.Tests.Collection;

/// <summary>
/// What a region collection must do, run on each store (folder and blob). Objects are made at the
/// store's real "now"; the collector's clock is a fake that starts there and is moved forward an
/// hour to make them older than the grace, so no test waits.
/// </summary>
public abstract class RegionCollectorContract
{
    protected const int Chunk = 16 * 1024;
    private static readonly PublishOptions Small = new() { ChunkSize = Chunk, PackSegmentSize = 64 * 1024 };
    private static readonly CollectionOptions TenMinutes = new() { Grace = TimeSpan.FromMinutes(10) };

    protected abstract IRegionStore NewStore();

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private RegionCollector Collector(IRegionStore store) => new(store, _clock);

    /// <summary>v1 and v2 share chunks 0-3 (and v2's boot pack covers only shared bytes); chunks 4-7 differ.</summary>
    private static (byte[] V1, byte[] V2) TwoVersions()
    {
        var v1 = TestImages.Random(8 * Chunk, seed: 1);
        var v2 = (byte[])v1.Clone();
        TestImages.Random(4 * Chunk, seed: 2).CopyTo(v2, 4 * Chunk);
        return (v1, v2);
    }

    private static async Task<PublishResult> PublishAsync(IRegionStore store, string name, byte[] image, params (long, long)[] boot)
    {
        var profile = boot.Length == 0 ? null : TestImages.Profile(image.Length, boot);
        return await new ImageStore(store).PublishAsync(MemoryBlockDevice.FromBytes(image), name, profile, Small);
    }

    private static async Task<HashSet<string>> KeysAsync(IRegionStore store)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var k in store.ListAsync("")) keys.Add(k);
        return keys;
    }

    private static async Task AssertReadsBackAsync(IRegionStore store, string name, byte[] image)
    {
        var manifest = await ImageManifest.ReadAsync(store, name);
        for (int i = 0; i < manifest.ChunkCount; i++)
            Assert.Equal(image.AsSpan(i * Chunk, Chunk).ToArray(), await store.GetAsync(RegionKeys.Chunk(manifest.Chunks[i]!)));
        if (manifest.BootPack is { } pack)
            Assert.Equal(pack.Length, await store.GetLengthAsync(RegionKeys.Pack(pack.Id)));
    }

    [Fact]
    public async Task DeletedVersion_FreesWhatOnlyItUsed_SharedChunksAndTheSiblingSurvive()
    {
        var store = NewStore();
        var (v1, v2) = TwoVersions();
        var p1 = await PublishAsync(store, "v1", v1, (0, 2 * Chunk), (5 * Chunk, Chunk));
        var p2 = await PublishAsync(store, "v2", v2, (0, 2 * Chunk));
        var onlyV1 = p1.Manifest.Chunks.Except(p2.Manifest.Chunks).Select(h => RegionKeys.Chunk(h!))
            .Append(RegionKeys.Pack(p1.Manifest.BootPack!.Id)).ToHashSet();
        Assert.Equal(5, onlyV1.Count); // chunks 4-7 and v1's pack

        Assert.True(await store.DeleteAsync(RegionKeys.Manifest("v1")));
        _clock.Advance(TimeSpan.FromHours(1));
        var report = await Collector(store).CollectAsync(TenMinutes);

        Assert.Equal(onlyV1, report.Freed.Select(o => o.Key).ToHashSet());
        Assert.Equal(4L * Chunk + p1.Manifest.BootPack.Length, report.FreedBytes);
        Assert.Equal(1, report.Manifests);
        Assert.Equal(9, report.KeptObjects); // v2: 8 chunks + its pack
        Assert.Equal(0, report.YoungObjects);
        var left = await KeysAsync(store);
        Assert.Empty(left.Intersect(onlyV1));
        await AssertReadsBackAsync(store, "v2", v2);
    }

    [Fact]
    public async Task UnreferencedObjectYoungerThanTheGrace_Survives_AndGoesOnceOlder()
    {
        var store = NewStore();
        var orphan = TestImages.Random(Chunk, seed: 9);
        var key = RegionKeys.Chunk(ChunkHash.Of(orphan));
        await store.PutAsync(key, orphan); // a publish that has not written its manifest yet

        var early = await Collector(store).CollectAsync(TenMinutes);
        Assert.Empty(early.Freed);
        Assert.Equal(1, early.YoungObjects);
        Assert.Equal(Chunk, early.YoungBytes);
        Assert.True(await store.ExistsAsync(key));

        _clock.Advance(TimeSpan.FromHours(1));
        var late = await Collector(store).CollectAsync(TenMinutes);
        Assert.Equal([key], late.Freed.Select(o => o.Key));
        Assert.False(await store.ExistsAsync(key));
    }

    [Fact]
    public async Task DryRun_ReportsWhatWouldGo_AndFreesNothing()
    {
        var store = NewStore();
        var (v1, _) = TwoVersions();
        var p1 = await PublishAsync(store, "v1", v1, (0, Chunk));
        await store.DeleteAsync(RegionKeys.Manifest("v1"));
        var before = await KeysAsync(store);
        _clock.Advance(TimeSpan.FromHours(1));

        var report = await Collector(store).CollectAsync(TenMinutes with { DryRun = true });

        Assert.True(report.DryRun);
        Assert.Equal(9, report.FreedObjects);
        Assert.Equal(8L * Chunk + p1.Manifest.BootPack!.Length, report.FreedBytes);
        Assert.Equal(before, await KeysAsync(store));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"formatVersion\":1,\"imageSize\":32768,\"chunkSize\":16384,\"chunks\":[\"xyz\",null]}")]
    public async Task CorruptManifest_StopsTheCollection_BeforeAnythingIsDeleted(string garbage)
    {
        var store = NewStore();
        var (v1, _) = TwoVersions();
        await PublishAsync(store, "v1", v1);
        await store.PutAsync(RegionKeys.Manifest("broken"), System.Text.Encoding.UTF8.GetBytes(garbage));
        var orphan = TestImages.Random(Chunk, seed: 9);
        await store.PutAsync(RegionKeys.Chunk(ChunkHash.Of(orphan)), orphan);
        var before = await KeysAsync(store);
        _clock.Advance(TimeSpan.FromHours(1));

        var e = await Assert.ThrowsAsync<CollectionException>(() => Collector(store).CollectAsync(TenMinutes));

        Assert.Equal("manifests/broken.json", e.Key);
        Assert.Contains("manifests/broken.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was deleted", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await KeysAsync(store));
    }

    [Fact]
    public async Task ForeignObjects_AreNeverCollected()
    {
        var store = NewStore();
        await store.PutAsync("chunks/zz/not-a-hash", new byte[] { 1 });
        await store.PutAsync("packs/readme.txt", new byte[] { 2 });
        await store.PutAsync("other/thing", new byte[] { 3 });
        _clock.Advance(TimeSpan.FromHours(1));

        var report = await Collector(store).CollectAsync(TenMinutes);

        Assert.Empty(report.Freed);
        Assert.Equal(3, (await KeysAsync(store)).Count);
    }

    [Fact]
    public async Task ConditionalDelete_KeepsAnObjectModifiedAfterTheCutoff()
    {
        var store = NewStore();
        var data = TestImages.Random(Chunk, seed: 5);
        var key = RegionKeys.Chunk(ChunkHash.Of(data));
        await store.PutAsync(key, data);

        Assert.False(await store.DeleteIfUnmodifiedSinceAsync(key, DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(data, await store.GetAsync(key));
        Assert.True(await store.DeleteIfUnmodifiedSinceAsync(key, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.False(await store.ExistsAsync(key));
        Assert.False(await store.DeleteIfUnmodifiedSinceAsync(key, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.False(await store.TouchAsync(key));
    }

    [Fact]
    public async Task RepublishingReusedChunks_TouchesThem_SoACollectionDuringThePublishKeepsThem()
    {
        var store = NewStore();
        var (v1, _) = TwoVersions();
        await PublishAsync(store, "v1", v1);
        await store.DeleteAsync(RegionKeys.Manifest("v1")); // v1's chunks are garbage now …
        var listed = new Dictionary<string, DateTimeOffset>();
        await foreach (var o in store.ListObjectsAsync(RegionKeys.ChunkPrefix)) listed[o.Key] = o.LastModified;

        await PublishAsync(store, "v1-again", v1); // … until a publish reuses them: they must look young again

        await foreach (var o in store.ListObjectsAsync(RegionKeys.ChunkPrefix))
            Assert.True(o.LastModified >= listed[o.Key], $"{o.Key} was not touched");
        var report = await Collector(store).CollectAsync(TenMinutes);
        Assert.Empty(report.Freed);
        await AssertReadsBackAsync(store, "v1-again", v1);
    }
}
