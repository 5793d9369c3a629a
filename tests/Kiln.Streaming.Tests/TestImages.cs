using Kiln.Storage.Blocks;
using Kiln.Storage.Profiles;

namespace Kiln.Streaming.Tests;

/// <summary>Small synthetic images and profiles for the store and device tests.</summary>
public static class TestImages
{
    /// <summary>Random bytes, with the chunks listed in <paramref name="zeroChunks"/> left all zero.</summary>
    public static byte[] Random(int length, int seed, int chunkSize = 0, params int[] zeroChunks)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        foreach (var c in zeroChunks) data.AsSpan(c * chunkSize, Math.Min(chunkSize, length - c * chunkSize)).Clear();
        return data;
    }

    public static BootProfile Profile(long imageSize, params (long Offset, long Length)[] extents) => new()
    {
        Image = new BootProfileImage { SizeBytes = imageSize, ContentId = "test" },
        Boots = [],
        WorkingSetBytes = extents.Sum(e => e.Length),
        Extents = extents.Select(e => new[] { e.Offset, e.Length }).ToArray(),
    };

    public static async Task<byte[]> ReadAllAsync(IBlockDevice device, long offset, int length)
    {
        var buffer = new byte[length];
        await device.ReadAsync(offset, buffer);
        return buffer;
    }
}
