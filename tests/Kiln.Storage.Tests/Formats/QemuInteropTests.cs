using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

/// <summary>Images written by qemu-img convert read back byte-identical through Kiln's probe and readers.</summary>
public class QemuInteropTests
{
    [Theory]
    [InlineData("vpc", "subformat=fixed,force_size=on", false, "vhd-fixed")]
    [InlineData("vpc", "subformat=dynamic,force_size=on", false, "vhd-dynamic")]
    [InlineData("vpc", "subformat=dynamic", false, "vhd-dynamic")]
    [InlineData("qcow2", "compat=0.10", false, "qcow2")]
    [InlineData("qcow2", "compat=1.1", false, "qcow2")]
    [InlineData("qcow2", "compat=0.10", true, "qcow2")]
    [InlineData("qcow2", "compat=1.1,cluster_size=4096", true, "qcow2")]
    [InlineData("qcow2", "compat=1.1,cluster_size=2M", false, "qcow2")]
    public async Task QemuImgConvert_ReadsBackIdentical(string format, string options, bool compress, string expectedFormat)
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var converted = dir.File("out.img");
        var args = new List<string> { "convert", "-f", "raw", "-O", format, "-o", options };
        if (compress) args.Add("-c");
        args.AddRange([raw, converted]);
        await QemuImg.MustRunAsync([.. args]);

        await using var image = await DiskImage.OpenAsync(converted);
        Assert.Equal(expectedFormat, image.Format);
        Assert.Empty(image.Warnings);
        await SampleImage.AssertSameContentAsync(raw, image.Device);
        var extents = await SampleImage.ExtentsAsync(image.Device);
        // qemu-img skips zero regions, so the whole-block holes must not show as allocated (the fixed VHD
        // keeps them as file holes).
        foreach (var hole in SampleImage.WholeBlockHoles)
            Assert.DoesNotContain(extents, e => e.Overlaps(hole));
        Assert.True(extents.Zip(extents.Skip(1)).All(p => p.First.End < p.Second.Offset), "extents must be ascending and merged");
    }

    [Fact]
    public async Task Qcow2V3_ZeroClusters_ReadAsZeros_AndAreNotAllocated()
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var q = dir.File("z.qcow2");
        await QemuImg.MustRunAsync("convert", "-f", "raw", "-O", "qcow2", "-o", "compat=1.1", raw, q);
        // Zero out 1 MiB of data in place: qemu marks those clusters with the v3 zero flag.
        await QemuImg.RunQemuIoAsync(q, $"write -z 0 {SampleImage.MiB}");

        await using var image = await DiskImage.OpenAsync(q);
        var all = await SampleImage.ReadAllAsync(image.Device);
        Assert.True(all.AsSpan(0, (int)SampleImage.MiB).IndexOfAnyExcept((byte)0) < 0);
        var expected = await File.ReadAllBytesAsync(raw);
        Assert.True(all.AsSpan((int)SampleImage.MiB).SequenceEqual(expected.AsSpan((int)SampleImage.MiB)));
        var extents = await SampleImage.ExtentsAsync(image.Device);
        Assert.DoesNotContain(extents, e => e.Overlaps(new(0, SampleImage.MiB)));
    }
}
