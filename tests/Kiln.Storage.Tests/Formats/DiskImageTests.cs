using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

public class DiskImageTests
{
    [Fact]
    public async Task PlainFile_IsRaw()
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("a.img"));
        await using var image = await DiskImage.OpenAsync(raw);
        Assert.Equal("raw", image.Format);
        Assert.Equal(SampleImage.Size, image.Device.Length);
    }

    [Fact]
    public async Task FixedVhdWithAnOld511ByteFooter_IsFound()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("old.vhd");
        await using (var source = RawFileDevice.Open(await SampleImage.CreateAsync(dir.File("src.raw"))))
            await VhdWriter.CreateFixedAsync(source, vhd);
        await using (var f = new FileStream(vhd, FileMode.Open))
            f.SetLength(f.Length - 1); // early Virtual PC wrote the footer without its last (reserved) byte
        await using var image = await DiskImage.OpenAsync(vhd);
        Assert.Equal("vhd-fixed", image.Format);
        await SampleImage.AssertSameContentAsync(dir.File("src.raw"), image.Device);
    }

    [Fact]
    public async Task DynamicVhd_WithTheTrailingFooterGone_IsRescuedFromTheCopy_AndRepairedOnWritableOpen()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("cut.vhd");
        await using (var source = RawFileDevice.Open(await SampleImage.CreateAsync(dir.File("src.raw"))))
            await VhdWriter.CreateDynamicAsync(source, vhd);
        await using (var f = new FileStream(vhd, FileMode.Open))
            f.SetLength(f.Length - 512);
        await using (var image = await DiskImage.OpenAsync(vhd, writable: true))
        {
            Assert.Equal("vhd-dynamic", image.Format);
            Assert.Contains(image.Warnings, w => w.Contains("missing"));
        }
        Assert.Empty(await VhdChecker.CheckAsync(vhd)); // the writable open put the footer back
        await QemuImg.MustRunAsync("compare", "-f", "raw", "-F", "vpc", dir.File("src.raw"), vhd);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Qcow2_ConvertsToEveryWritableFormat_ThatQemuImgFindsIdentical(bool compressed)
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var q = dir.File("src.qcow2");
        await QemuImg.MustRunAsync(compressed ? ["convert", "-c", "-O", "qcow2", raw, q] : ["convert", "-O", "qcow2", raw, q]);
        foreach (var (format, qemuFormat) in new[] { ("vhd-fixed", "vpc"), ("vhd-dynamic", "vpc"), ("raw", "raw") })
        {
            var target = dir.File("out." + format);
            await ImageConverter.ConvertAsync(q, target, format);
            await QemuImg.MustRunAsync("compare", "-f", "raw", "-F", qemuFormat, raw, target);
            await using var back = await DiskImage.OpenAsync(target);
            Assert.Equal(format, back.Format);
        }
    }
}
