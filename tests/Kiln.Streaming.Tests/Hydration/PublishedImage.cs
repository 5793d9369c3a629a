using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Hydration;

/// <summary>A random image published to a local region (with zero chunks and, optionally, a boot pack).</summary>
public sealed class PublishedImage : IDisposable
{
    public const int Chunk = 64 * 1024;
    public const int Segment = 16 * 1024;

    private PublishedImage(TempDir dir, byte[] image, LocalFolderRegionStore store, ImageManifest manifest, (long Offset, long Length)[] profile)
    {
        Dir = dir;
        Image = image;
        Store = store;
        Manifest = manifest;
        Profile = profile;
    }

    public TempDir Dir { get; }
    public byte[] Image { get; }
    public LocalFolderRegionStore Store { get; }
    public ImageManifest Manifest { get; }
    public (long Offset, long Length)[] Profile { get; }
    public string CachePath => Dir["cache.img"];

    /// <summary>
    /// 64 chunks of 64 KiB (chunks 7 and 30 zero); the profile is <paramref name="bootExtents"/>
    /// scattered 4-KiB-aligned extents in a shuffled (first-touch) order, 12 KiB each.
    /// </summary>
    public static async Task<PublishedImage> CreateAsync(int bootExtents, int seed = 11)
    {
        var dir = new TempDir();
        var image = TestImages.Random(64 * Chunk, seed, Chunk, 7, 30);
        var random = new Random(seed);
        var profile = Enumerable.Range(0, bootExtents)
            .Select(i => ((long)(i * 3 + 1) * Chunk / 2 + 4096L * random.Next(0, 4), 12288L))
            .OrderBy(_ => random.Next())
            .ToArray();
        var store = new LocalFolderRegionStore(dir["region"], "west");
        var options = new PublishOptions { ChunkSize = Chunk, PackSegmentSize = Segment };
        var result = await new ImageStore(store).PublishAsync(MemoryBlockDevice.FromBytes(image), "v1",
            bootExtents > 0 ? TestImages.Profile(image.Length, profile) : null, options);
        return new PublishedImage(dir, image, store, result.Manifest, profile);
    }

    public byte[] Expected(long offset, long length) => Image.AsSpan((int)offset, (int)length).ToArray();

    public void Dispose() => Dir.Dispose();
}
