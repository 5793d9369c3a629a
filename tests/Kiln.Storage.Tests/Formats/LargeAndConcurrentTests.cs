using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

public class LargeAndConcurrentTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task LargestDynamicVhd_OpensSparse_AndLargerIsRefused()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("max.vhd");
        await VhdWriter.CreateDynamicAsync(vhd, VhdFooter.MaxDiskSize);
        await using (var image = await DiskImage.OpenAsync(vhd, writable: true))
        {
            Assert.Equal(VhdFooter.MaxDiskSize, image.Device.Length);
            Assert.Empty(await SampleImage.ExtentsAsync(image.Device));
            await image.Device.WriteAsync(VhdFooter.MaxDiskSize - 4096, new byte[] { 9, 9, 9 });
            Assert.Equal([new Extent(VhdFooter.MaxDiskSize - 2 * SampleImage.MiB, 2 * SampleImage.MiB)], await SampleImage.ExtentsAsync(image.Device));
        }
        Assert.True(new FileInfo(vhd).Length < 16 * SampleImage.MiB, "a dynamic VHD with one block must stay small");
        await QemuImg.MustRunAsync("info", "-f", "vpc", vhd);
        await Assert.ThrowsAsync<BlockDeviceException>(() => VhdWriter.CreateDynamicAsync(dir.File("too.vhd"), VhdFooter.MaxDiskSize + SampleImage.MiB));
    }

    [Fact]
    public async Task Qcow2LargerThan2TiB_ReadsSparse()
    {
        using var dir = new TempDirectory();
        var q = dir.File("big.qcow2");
        await QemuImg.MustRunAsync("create", "-f", "qcow2", q, "3T");
        await QemuImg.RunQemuIoAsync(q, $"write -P 0x5a {2600 * GiB} 65536");
        await using var image = await DiskImage.OpenAsync(q);
        Assert.Equal("qcow2", image.Format);
        Assert.Equal(3072 * GiB, image.Device.Length);
        Assert.Equal([new Extent(2600 * GiB, 65536)], await SampleImage.ExtentsAsync(image.Device));
        Assert.True((await image.Device.ReadBytesAsync(2600 * GiB, 65536)).All(b => b == 0x5a));
        Assert.True((await image.Device.ReadBytesAsync(2600 * GiB + 65536, 4096)).All(b => b == 0));
    }

    [Fact]
    public async Task DynamicVhd_ConcurrentWritesAndReads_AllLand()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("c.vhd");
        await VhdWriter.CreateDynamicAsync(vhd, 64 * SampleImage.MiB);
        var pieces = Enumerable.Range(0, 48).Select(i => (Offset: (long)((i * 37) % 64) * SampleImage.MiB + i * 512, Data: SampleImage.Bytes(new Random(i), 100_000))).ToArray();
        await using (var image = await DiskImage.OpenAsync(vhd, writable: true))
        {
            await Parallel.ForEachAsync(pieces, async (p, ct) =>
            {
                await image.Device.WriteAsync(p.Offset, p.Data, ct);
                await image.Device.ReadBytesAsync(p.Offset, 4096, ct); // reads interleave with other writers' allocations
            });
        }
        Assert.Empty(await VhdChecker.CheckAsync(vhd));
        await using var reopened = await DiskImage.OpenAsync(vhd);
        // i * 37 mod 64 visits every MiB once, so the pieces never overlap.
        foreach (var (offset, data) in pieces)
            Assert.Equal(data, await reopened.Device.ReadBytesAsync(offset, data.Length));
    }
}
