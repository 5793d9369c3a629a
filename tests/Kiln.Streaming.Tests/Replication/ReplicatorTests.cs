using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Replication;

public class ReplicatorTests
{
    private const int Chunk = 16 * 1024;
    private static readonly PublishOptions Small = new() { ChunkSize = Chunk, PackSegmentSize = 32 * 1024 };

    [Fact]
    public async Task Replication_CopiesOnlyTheChunksTheTargetLacks_ThenTheManifest()
    {
        using var dir = new TempDir();
        var west = new LocalFolderRegionStore(dir["west"], "west");
        var east = new RemoteRegionStore(new LocalFolderRegionStore(dir["east"], "east"), RemoteLinkOptions.Local);
        var images = new ImageStore(west);
        var v1 = TestImages.Random(100 * Chunk, seed: 8, Chunk, 3, 4);
        var profile = TestImages.Profile(v1.Length, (50L * Chunk, 3 * 4096), (0, 4096));
        await images.PublishAsync(MemoryBlockDevice.FromBytes(v1), "v1", profile, Small);

        var first = await Replicator.ReplicateAsync("v1", west, east);

        Assert.Equal(98, first.ChunksTotal);
        Assert.Equal(98, first.ChunksCopied);
        Assert.True(first.PackCopied);
        Assert.Equal(4L * 4096, first.PackBytesCopied);
        Assert.Equal((await images.ReadManifestAsync("v1")).ToJson(), (await ImageManifest.ReadAsync(east, "v1")).ToJson());

        var v2 = (byte[])v1.Clone();
        v2[10 * Chunk] ^= 1;
        await images.PublishAsync(MemoryBlockDevice.FromBytes(v2), "v2", profile, Small);
        long writtenBefore = east.BytesWritten;

        var second = await Replicator.ReplicateAsync("v2", west, east);

        Assert.Equal(1, second.ChunksCopied);
        Assert.Equal(97, second.ChunksSkipped);
        Assert.Equal(Chunk, second.BytesCopied);
        Assert.False(second.PackCopied); // the boot extents did not change: same pack object
        var manifestBytes = (await west.GetAsync(RegionKeys.Manifest("v2"))).Length;
        Assert.Equal(Chunk + manifestBytes, east.BytesWritten - writtenBefore);
    }

    [Fact]
    public async Task CorruptChunkInTheSource_IsNotCopied_AndTheVersionDoesNotAppear()
    {
        using var dir = new TempDir();
        var west = new LocalFolderRegionStore(dir["west"], "west");
        var east = new LocalFolderRegionStore(dir["east"], "east");
        var published = await new ImageStore(west).PublishAsync(MemoryBlockDevice.FromBytes(TestImages.Random(8 * Chunk, seed: 9)), "v1", null, Small);
        var victim = published.Manifest.Chunks[5]!;
        FlipByte(west.PathOf(RegionKeys.Chunk(victim)), 1000);

        var e = await Assert.ThrowsAsync<ChunkVerificationException>(() => Replicator.ReplicateAsync("v1", west, east, maxParallelism: 1));

        Assert.Equal(5, e.Index);
        Assert.Equal(victim, e.ExpectedHash);
        Assert.Equal("west", e.Region);
        Assert.False(await east.ExistsAsync(RegionKeys.Chunk(victim)));
        Assert.False(await east.ExistsAsync(RegionKeys.Manifest("v1")));
    }

    [Fact]
    public async Task CorruptPackInTheSource_IsNotCopied()
    {
        using var dir = new TempDir();
        var west = new LocalFolderRegionStore(dir["west"], "west");
        var east = new LocalFolderRegionStore(dir["east"], "east");
        var image = TestImages.Random(8 * Chunk, seed: 10);
        var published = await new ImageStore(west).PublishAsync(MemoryBlockDevice.FromBytes(image), "v1",
            TestImages.Profile(image.Length, (0, 64 * 1024)), Small);
        FlipByte(west.PathOf(RegionKeys.Pack(published.Manifest.BootPack!.Id)), 40_000); // segment 1

        var e = await Assert.ThrowsAsync<ChunkVerificationException>(() => Replicator.ReplicateAsync("v1", west, east));

        Assert.Equal("pack segment", e.What);
        Assert.Equal(1, e.Index);
        Assert.False(await east.ExistsAsync(RegionKeys.Pack(published.Manifest.BootPack.Id)));
        Assert.Empty(Directory.EnumerateFiles(east.Root, ".*", SearchOption.AllDirectories));
    }

    internal static void FlipByte(string path, long offset)
    {
        using var f = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        int b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ 0x40));
    }
}
