using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

public class VhdRoundTripTests
{
    [Fact]
    public async Task FixedVhd_FromRaw_ReadsBack_IsWholeMiB_AndQemuAgrees()
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var vhd = dir.File("out.vhd");
        await using (var source = RawFileDevice.Open(raw))
            await VhdWriter.CreateFixedAsync(source, vhd);

        Assert.Equal(13 * SampleImage.MiB + 512, new FileInfo(vhd).Length);
        await using (var image = await DiskImage.OpenAsync(vhd))
        {
            Assert.Equal("vhd-fixed", image.Format);
            Assert.Equal(13 * SampleImage.MiB, image.Device.Length);
            await SampleImage.AssertSameContentAsync(raw, image.Device);
            var extents = await SampleImage.ExtentsAsync(image.Device);
            foreach (var hole in SampleImage.WholeBlockHoles)
                Assert.DoesNotContain(extents, e => e.Overlaps(hole));
        }
        var info = await QemuImg.MustRunAsync("info", "-f", "vpc", "--output=json", vhd);
        Assert.Contains("\"virtual-size\": " + 13 * SampleImage.MiB, info.Output);
        await QemuImg.MustRunAsync("compare", "-f", "raw", "-F", "vpc", raw, vhd);
    }

    [Fact]
    public async Task DynamicVhd_FromRaw_PassesQemuCheckAndCompare_AndAllocatesOnlyDataBlocks()
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var vhd = dir.File("out.vhd");
        await using (var source = RawFileDevice.Open(raw))
            await VhdWriter.CreateDynamicAsync(source, vhd);

        await QemuImg.MustRunAsync("info", "-f", "vpc", vhd); // qemu-img check has no vpc support: qemu opens it, Kiln checks it
        Assert.Empty(await VhdChecker.CheckAsync(vhd));
        await QemuImg.MustRunAsync("compare", "-f", "raw", "-F", "vpc", raw, vhd);
        await using var image = await DiskImage.OpenAsync(vhd);
        Assert.Equal("vhd-dynamic", image.Format);
        await SampleImage.AssertSameContentAsync(raw, image.Device);
        var extents = await SampleImage.ExtentsAsync(image.Device);
        foreach (var hole in SampleImage.WholeBlockHoles)
            Assert.DoesNotContain(extents, e => e.Overlaps(hole));
        // Blocks 0, 1, 4 and 6 of 2 MiB hold data; the file holds only those.
        Assert.Equal([new Extent(0, 4 * SampleImage.MiB), new Extent(8 * SampleImage.MiB, 2 * SampleImage.MiB), new Extent(12 * SampleImage.MiB, SampleImage.MiB)], extents);
    }

    [Fact]
    public async Task DynamicVhd_ScatteredWrites_ReadBackAfterReopen()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("d.vhd");
        await VhdWriter.CreateDynamicAsync(vhd, 20 * SampleImage.MiB);
        var random = new Random(3);
        var expected = new byte[20 * SampleImage.MiB];
        await using (var image = await DiskImage.OpenAsync(vhd, writable: true))
        {
            // Unaligned writes that straddle block boundaries, rewrite earlier data, and land in fresh blocks.
            foreach (var (offset, length) in new[] { (2 * SampleImage.MiB - 1000, 5000), (17 * SampleImage.MiB + 3, 700_000), (100, 512), (2 * SampleImage.MiB + 10, 20) })
            {
                var data = SampleImage.Bytes(random, length);
                await image.Device.WriteAsync(offset, data);
                data.CopyTo(expected, offset);
            }
            Assert.Equal(expected, await SampleImage.ReadAllAsync(image.Device));
            await image.Device.FlushAsync();
        }
        await QemuImg.MustRunAsync("info", "-f", "vpc", vhd); // qemu-img check has no vpc support: qemu opens it, Kiln checks it
        Assert.Empty(await VhdChecker.CheckAsync(vhd));
        await using var reopened = await DiskImage.OpenAsync(vhd);
        Assert.Equal(expected, await SampleImage.ReadAllAsync(reopened.Device));
        var extents = await SampleImage.ExtentsAsync(reopened.Device);
        Assert.Equal([new Extent(0, 4 * SampleImage.MiB), new Extent(16 * SampleImage.MiB, 2 * SampleImage.MiB)], extents);
    }

    [Fact]
    public async Task EmptyDynamicVhd_ReadsZeros_AndQemuAccepts()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("e.vhd");
        await VhdWriter.CreateDynamicAsync(vhd, 64 * SampleImage.MiB);
        await QemuImg.MustRunAsync("info", "-f", "vpc", vhd); // qemu-img check has no vpc support: qemu opens it, Kiln checks it
        Assert.Empty(await VhdChecker.CheckAsync(vhd));
        await using var image = await DiskImage.OpenAsync(vhd);
        Assert.Equal(64 * SampleImage.MiB, image.Device.Length);
        Assert.Empty(await SampleImage.ExtentsAsync(image.Device));
        Assert.True((await image.Device.ReadBytesAsync(33 * SampleImage.MiB, 65536)).All(b => b == 0));
    }

    [Fact]
    public async Task PartialSectorBitmap_HidesUnwrittenSectors()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("p.vhd");
        await VhdWriter.CreateDynamicAsync(vhd, 4 * SampleImage.MiB);
        var data = SampleImage.Bytes(new Random(5), 4096);
        await using (var image = await DiskImage.OpenAsync(vhd, writable: true))
            await image.Device.WriteAsync(0, data);
        // The first block's bitmap follows the BAT (1536 + 512): keep only sectors 0-3 as written.
        await using (var file = File.OpenWrite(vhd))
        {
            file.Position = 2048;
            var bitmap = new byte[512];
            bitmap[0] = 0xF0;
            file.Write(bitmap);
        }
        await using var reopened = await DiskImage.OpenAsync(vhd);
        var back = await reopened.Device.ReadBytesAsync(0, 4096);
        Assert.Equal(data.AsSpan(0, 2048).ToArray(), back[..2048]);
        Assert.True(back[2048..].All(b => b == 0));
        Assert.Equal([new Extent(0, 2048)], await SampleImage.ExtentsAsync(reopened.Device));
    }
}
