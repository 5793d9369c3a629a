using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Images;

public class BootPackTests
{
    [Fact]
    public async Task Pack_HoldsTheProfileExtentsBytes_BackToBack_InFirstTouchOrder()
    {
        using var dir = new TempDir();
        var image = TestImages.Random(4 << 20, seed: 7);
        // First-touch order is not offset order; lengths are 4 KiB multiples so no rounding applies.
        (long, long)[] extents = [(3 << 20, 64 * 1024), (4096, 8192), (2 << 20, 200 * 1024), (1 << 20, 4096)];
        var store = new LocalFolderRegionStore(dir.Path);
        var options = new PublishOptions { ChunkSize = 64 * 1024, PackSegmentSize = 64 * 1024 };

        var result = await new ImageStore(store).PublishAsync(MemoryBlockDevice.FromBytes(image), "v1", TestImages.Profile(image.Length, extents), options);

        var pack = result.Manifest.BootPack!;
        var expected = extents.SelectMany(e => image.AsSpan((int)e.Item1, (int)e.Item2).ToArray()).ToArray();
        var stored = await store.GetAsync(RegionKeys.Pack(pack.Id));
        Assert.Equal(expected, stored);
        Assert.Equal(expected.Length, pack.Length);
        Assert.Equal(ChunkHash.Of(expected), pack.Id);
        Assert.Equal(extents.Select(e => e.Item1), pack.Extents.Select(e => e[1]));
        Assert.Equal((expected.Length + 65535) / 65536, pack.SegmentHashes.Count);
        for (int s = 0; s < pack.SegmentCount; s++)
            Assert.Equal(ChunkHash.Of(expected.AsSpan(s * 65536, (int)pack.SegmentLength(s))), pack.SegmentHashes[s]);
    }

    [Fact]
    public void Layout_RoundsOutToAlignment_DropsWhatIsAlreadyPacked_MergesNeighbours()
    {
        long[][] profile =
        [
            [100, 50],          // → [0, 4096)
            [0, 4096],          // already packed
            [8192 + 10, 5],     // → [8192, 12288)
            [4096, 8192],       // [4096, 12288) minus [8192, 12288) → [4096, 8192)
            [12288, 4096],      // adjacent to nothing before it in the pack → its own entry
            [16384, 100],       // → [16384, 20480), adjacent to the previous in image and pack: merged
        ];

        var plan = BootPackLayout.Plan(profile, imageSize: 1 << 20, alignment: 4096);

        Assert.Equal(
            [new Extent(0, 4096), new Extent(8192, 4096), new Extent(4096, 4096), new Extent(12288, 8192)],
            plan);
    }

    [Fact]
    public void Layout_ClampsTheLastBlockToTheImageEnd()
    {
        var plan = BootPackLayout.Plan([[10_000, 10]], imageSize: 10_100, alignment: 4096);
        Assert.Equal([new Extent(8192, 10_100 - 8192)], plan);
    }

    [Fact]
    public void Layout_RefusesExtentsOutsideTheImage()
    {
        Assert.Throws<ArgumentException>(() => BootPackLayout.Plan([[1 << 20, 4096]], imageSize: 1 << 20, alignment: 4096));
    }

    [Fact]
    public void Layout_LeavesOutWhatLiesInZeroChunks()
    {
        string?[] chunks = ["a", null, "b"]; // chunk size 8192
        var plan = BootPackLayout.WithoutZeroChunks([new Extent(4096, 16384), new Extent(8192, 4096)], chunks, 8192);
        Assert.Equal([new Extent(4096, 4096), new Extent(16384, 4096)], plan);
    }

    [Fact]
    public async Task Publish_DoesNotPackZeroChunks()
    {
        using var dir = new TempDir();
        var image = TestImages.Random(8 * 65536, seed: 14, 65536, 3);
        var options = new PublishOptions { ChunkSize = 65536, PackSegmentSize = 65536 };
        var profile = TestImages.Profile(image.Length, (2 * 65536, 2 * 65536)); // chunk 2 (data) and chunk 3 (zero)

        var result = await new ImageStore(new LocalFolderRegionStore(dir.Path)).PublishAsync(MemoryBlockDevice.FromBytes(image), "v1", profile, options);

        Assert.Equal([[0L, 2 * 65536L, 65536L]], result.Manifest.BootPack!.Extents);
    }
}
