using Kiln.Storage.Blocks;

namespace Kiln.Storage.Tests.Blocks;

public class MemoryBlockDeviceTests
{
    [Fact]
    public async Task WrittenBytesReadBack_AndUnwrittenReadAsZeros()
    {
        await using var dev = new MemoryBlockDevice(1 << 20);
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7 + 1)).ToArray();
        await dev.WriteAsync(70_000, data);

        var back = new byte[data.Length];
        await dev.ReadAsync(70_000, back);
        Assert.Equal(data, back);

        var zeros = await dev.ReadBytesAsync(500_000, 4096);
        Assert.All(zeros, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task AllocatedExtents_AreMergedPages_CoveringWrites()
    {
        await using var dev = new MemoryBlockDevice(1 << 20);
        await dev.WriteAsync(10, new byte[] { 1 });
        await dev.WriteAsync(65536 + 5, new byte[] { 2 });
        await dev.WriteAsync(512 * 1024, new byte[] { 3 });
        var extents = new List<Extent>();
        await foreach (var e in dev.GetAllocatedExtentsAsync()) extents.Add(e);
        Assert.Equal([new Extent(0, 131072), new Extent(512 * 1024, 65536)], extents);
    }

    [Fact]
    public async Task OutOfRangeRead_FailsWithSizeInMessage()
    {
        await using var dev = new MemoryBlockDevice(4096);
        var ex = await Assert.ThrowsAsync<BlockDeviceException>(async () => await dev.ReadAsync(4000, new byte[512]));
        Assert.Contains("4096", ex.Message);
    }

    [Fact]
    public async Task ReadOnlyDevice_RefusesWrites()
    {
        await using var dev = new MemoryBlockDevice(4096, canWrite: false);
        await Assert.ThrowsAsync<BlockDeviceReadOnlyException>(async () => await dev.WriteAsync(0, new byte[1]));
    }
}
