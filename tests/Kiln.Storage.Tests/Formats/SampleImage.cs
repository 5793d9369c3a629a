using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

/// <summary>
/// A small raw image with every kind of region a converter must get right, made fresh per test:
/// <code>
///  0 ─ 1 MiB random │ 1 ─ 2 zeros written │ 2 ─ 3 random, every other 64 KiB zero │ 3 ─ 8 hole
///  8 ─ 8.5 compressible text │ 8.5 ─ 12 hole       │ 12 MiB+120 KiB ─ end (12 MiB+320 KiB) random
/// </code>
/// The size is not a whole MiB, so VHD writers must round it up.
/// </summary>
public static class SampleImage
{
    public const long MiB = 1024 * 1024;
    public const long Size = 12 * MiB + 320 * 1024;
    /// <summary>Ranges that are holes in the raw file and span whole 2 MiB VHD blocks.</summary>
    public static readonly Extent[] WholeBlockHoles = [new(4 * MiB, 4 * MiB), new(10 * MiB, 2 * MiB)];

    public static async Task<string> CreateAsync(string path, int seed = 42)
    {
        var random = new Random(seed);
        await using var device = RawFileDevice.Create(path, Size);
        await device.WriteAsync(0, Bytes(random, (int)MiB));
        await device.WriteAsync(MiB, new byte[MiB]);
        var mixed = Bytes(random, (int)MiB);
        for (int i = 64 * 1024; i < mixed.Length; i += 128 * 1024) Array.Clear(mixed, i, 64 * 1024);
        await device.WriteAsync(2 * MiB, mixed);
        var text = Bytes(random, (int)(MiB / 2));
        for (int i = 0; i < text.Length; i++) text[i] = (byte)('a' + (text[i] & 15)); // compresses, so qemu-img -c stores it compressed
        await device.WriteAsync(8 * MiB, text);
        await device.WriteAsync(12 * MiB + 120 * 1024, Bytes(random, 200 * 1024));
        return path;
    }

    public static byte[] Bytes(Random random, int length)
    {
        var b = new byte[length];
        random.NextBytes(b);
        return b;
    }

    public static async Task<byte[]> ReadAllAsync(IBlockDevice device)
    {
        var all = new byte[device.Length];
        await device.ReadAsync(0, all);
        return all;
    }

    /// <summary>Asserts the device shows exactly the source bytes, and zeros beyond them (a VHD rounded up to a whole MiB).</summary>
    public static async Task AssertSameContentAsync(string rawPath, IBlockDevice device)
    {
        var expected = await File.ReadAllBytesAsync(rawPath);
        Assert.True(device.Length >= expected.Length, $"device is {device.Length} bytes, source {expected.Length}");
        var actual = await ReadAllAsync(device);
        int mismatch = actual.AsSpan(0, expected.Length).CommonPrefixLength(expected);
        Assert.True(mismatch == expected.Length, $"first difference at byte {mismatch}");
        Assert.True(actual.AsSpan(expected.Length).IndexOfAnyExcept((byte)0) < 0, "bytes past the source size are not zero");
    }

    public static async Task<List<Extent>> ExtentsAsync(IBlockDevice device)
    {
        var list = new List<Extent>();
        await foreach (var e in device.GetAllocatedExtentsAsync()) list.Add(e);
        return list;
    }
}
