using Kiln.Storage.Formats;

namespace Kiln.Optimization.Tests;

public sealed class ImageContentIdTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-contentid-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> IdAsync(string path)
    {
        await using var image = await DiskImage.OpenAsync(path);
        return await ImageContentId.ComputeAsync(image);
    }

    private string Raw(string name, long size, params (long Offset, byte Value)[] bytes)
    {
        var path = Path.Combine(_dir, name);
        using var f = new FileStream(path, FileMode.Create);
        f.SetLength(size);
        foreach (var (offset, value) in bytes)
        {
            f.Position = offset;
            f.WriteByte(value);
        }
        return path;
    }

    [Fact]
    public async Task SameContent_SameId_AndEveryCoveredRegionChangesIt()
    {
        const long size = 8L << 20;
        var baseline = await IdAsync(Raw("a.raw", size));
        Assert.Matches("^sha256:[0-9a-f]{64}$", baseline);
        Assert.Equal(baseline, await IdAsync(Raw("b.raw", size)));

        Assert.NotEqual(baseline, await IdAsync(Raw("first.raw", size, (1000, 1))));
        Assert.NotEqual(baseline, await IdAsync(Raw("last.raw", size, (size - 1000, 1))));
        Assert.NotEqual(baseline, await IdAsync(Raw("bigger.raw", size + 512)));
        // The middle is deliberately not hashed (a 30 GB disk would cost more than its boot).
        Assert.Equal(baseline, await IdAsync(Raw("middle.raw", size, (size / 2, 1))));
    }

    [Fact]
    public async Task VhdOfTheSameDisk_HasItsOwnId_BecauseTheFooterIsPartOfIt()
    {
        var raw = Raw("disk.raw", 4L << 20, (512, 7));
        var vhd = Path.Combine(_dir, "disk.vhd");
        await using (var source = RawFileDevice.Open(raw))
            await VhdWriter.CreateDynamicAsync(source, vhd);
        Assert.NotEqual(await IdAsync(raw), await IdAsync(vhd));
    }
}
