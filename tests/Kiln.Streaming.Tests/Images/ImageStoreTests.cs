using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Images;

public class ImageStoreTests
{
    private const int Chunk = 16 * 1024;
    private static readonly PublishOptions Small = new() { ChunkSize = Chunk, PackSegmentSize = 64 * 1024 };

    [Fact]
    public async Task Publish_StoresOneObjectPerDistinctNonZeroChunk_NamedByItsHash()
    {
        using var dir = new TempDir();
        // 10 chunks, chunks 2 and 7 all zero, chunk 9 cut short by the image end; the raw file reports everything allocated,
        // so the zero chunks are found by content.
        var image = TestImages.Random(9 * Chunk + 5000, seed: 3, Chunk, 2, 7);
        await File.WriteAllBytesAsync(dir["disk.raw"], image);
        await using var source = RawFileDevice.Open(dir["disk.raw"]);
        var store = new LocalFolderRegionStore(dir["region"], "west");

        var result = await new ImageStore(store).PublishAsync(source, "v1", null, Small);

        Assert.Equal(10, result.ChunksTotal);
        Assert.Equal(2, result.ZeroChunks);
        Assert.Equal(8, result.ChunksStored);
        Assert.Null(result.Manifest.Chunks[2]);
        Assert.Null(result.Manifest.Chunks[7]);
        for (int i = 0; i < 10; i++)
        {
            if (result.Manifest.Chunks[i] is not { } hash) continue;
            var stored = await store.GetAsync(RegionKeys.Chunk(hash));
            var expected = image.AsSpan(i * Chunk, Math.Min(Chunk, image.Length - i * Chunk)).ToArray();
            Assert.Equal(expected, stored);
            Assert.Equal(ChunkHash.Of(expected), hash);
        }
        var manifest = await new ImageStore(store).ReadManifestAsync("v1");
        Assert.Equal(image.Length, manifest.ImageSize);
        Assert.Equal(Chunk, manifest.ChunkSize);
        Assert.Equal(result.Manifest.Chunks, manifest.Chunks);
    }

    [Fact]
    public async Task Publish_ReadsOnlyAllocatedChunks()
    {
        using var dir = new TempDir();
        await using var memory = new MemoryBlockDevice(64L * Chunk);
        await memory.WriteAsync(5L * Chunk + 100, new byte[] { 1, 2, 3 });
        await memory.WriteAsync(40L * Chunk, new byte[] { 9 });
        var recorder = new ReadRecordingDevice(memory);

        var result = await new ImageStore(new LocalFolderRegionStore(dir.Path)).PublishAsync(recorder, "v1", null, Small);

        Assert.Equal(2, result.ChunksStored);
        Assert.Equal(62, result.ZeroChunks);
        // MemoryBlockDevice allocates 64 KiB pages: only the chunks of those two pages are read.
        Assert.All(recorder.Reads, r => Assert.True(r.Offset / (64 * 1024) is 1 or 10, $"unexpected read {r}"));
    }

    [Fact]
    public async Task SecondVersion_ChangingOnePercent_StoresOnePercent()
    {
        using var dir = new TempDir();
        var store = new LocalFolderRegionStore(dir.Path);
        var images = new ImageStore(store);
        var v1 = TestImages.Random(200 * Chunk, seed: 4);
        var first = await images.PublishAsync(MemoryBlockDevice.FromBytes(v1), "v1", null, Small);

        var v2 = (byte[])v1.Clone();
        v2[17 * Chunk + 3] ^= 0xFF;   // two chunks of 200 change
        v2[150 * Chunk + 4000] ^= 0x01;
        var second = await images.PublishAsync(MemoryBlockDevice.FromBytes(v2), "v2", null, Small);

        Assert.Equal(200, first.ChunksStored);
        Assert.Equal(2, second.ChunksStored);
        Assert.Equal(198, second.ChunksReused);
        Assert.Equal(2L * Chunk, second.BytesStored);
        var objects = 0;
        await foreach (var _ in store.ListAsync(RegionKeys.ChunkPrefix)) objects++;
        Assert.Equal(202, objects);
    }

    [Fact]
    public async Task Versions_AreImmutable()
    {
        using var dir = new TempDir();
        var images = new ImageStore(new LocalFolderRegionStore(dir.Path));
        var device = MemoryBlockDevice.FromBytes(TestImages.Random(4 * Chunk, seed: 5));
        await images.PublishAsync(device, "v1", null, Small);
        await Assert.ThrowsAsync<InvalidOperationException>(() => images.PublishAsync(device, "v1", null, Small));
    }

    [Theory]
    [InlineData(false)] // the source fails while chunks are being stored
    [InlineData(true)]  // the source fails while the pack is being uploaded
    public async Task FailedPublish_LeavesNoManifestAndNoTemporaries(bool failInPack)
    {
        using var dir = new TempDir();
        var image = TestImages.Random(32 * Chunk, seed: 6);
        long packExtent = 20L * Chunk + 4096; // not chunk-aligned: only the pack passes read here
        var source = new ReadRecordingDevice(MemoryBlockDevice.FromBytes(image), (e, count) =>
            failInPack ? e.Offset == packExtent && count == 2 : e.Offset == 10L * Chunk);
        var store = new LocalFolderRegionStore(dir["region"]);
        var profile = TestImages.Profile(image.Length, (packExtent, 8192), (0, 4096));

        await Assert.ThrowsAsync<BlockDeviceException>(() => new ImageStore(store).PublishAsync(source, "v1", profile, Small));

        Assert.False(await new ImageStore(store).ExistsAsync("v1"));
        var files = Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(files, f => f!.StartsWith('.'));
        Assert.DoesNotContain(files, f => f!.EndsWith(".pack"));
        Assert.NotEmpty(files); // chunks stored before the failure stay (reused by the next publish)
    }
}
