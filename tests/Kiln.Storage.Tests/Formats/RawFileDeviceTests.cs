using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

public class RawFileDeviceTests
{
    [Fact]
    public async Task AllocatedExtents_LeaveOutHoles_AndCoverAllData()
    {
        using var dir = new TempDirectory();
        var path = await SampleImage.CreateAsync(dir.File("disk.raw"));
        await using var device = RawFileDevice.Open(path);
        var extents = await SampleImage.ExtentsAsync(device);

        foreach (var hole in SampleImage.WholeBlockHoles)
            Assert.DoesNotContain(extents, e => e.Overlaps(hole));
        // Every non-zero byte must lie inside a reported extent.
        var bytes = await File.ReadAllBytesAsync(path);
        for (long pos = 0; pos < bytes.Length; pos += 4096)
            if (bytes.AsSpan((int)pos, 4096).IndexOfAnyExcept((byte)0) >= 0)
                Assert.Contains(extents, e => e.Contains(pos));
        Assert.True(extents.Zip(extents.Skip(1)).All(p => p.First.End < p.Second.Offset), "extents must be ascending and merged");
    }

    [Fact]
    public async Task FullyHoleyFile_HasNoExtents_AndReadsZeros()
    {
        using var dir = new TempDirectory();
        await using (RawFileDevice.Create(dir.File("empty.raw"), 8 * SampleImage.MiB)) { }
        await using var device = RawFileDevice.Open(dir.File("empty.raw"));
        Assert.Empty(await SampleImage.ExtentsAsync(device));
        Assert.True((await device.ReadBytesAsync(3 * SampleImage.MiB, 4096)).All(b => b == 0));
    }

    [Fact]
    public async Task WriteThenReopen_ReadsBack()
    {
        using var dir = new TempDirectory();
        var data = SampleImage.Bytes(new Random(7), 300_000);
        await using (var device = RawFileDevice.Create(dir.File("d.raw"), SampleImage.MiB))
            await device.WriteAsync(12_345, data);
        await using var reopened = RawFileDevice.Open(dir.File("d.raw"));
        Assert.Equal(data, await reopened.ReadBytesAsync(12_345, data.Length));
        Assert.False(reopened.CanWrite);
        await Assert.ThrowsAsync<BlockDeviceReadOnlyException>(async () => await reopened.WriteAsync(0, data));
    }
}
