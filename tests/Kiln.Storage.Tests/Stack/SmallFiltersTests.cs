using Kiln.Storage.Blocks;
using Kiln.Storage.Stack;

namespace Kiln.Storage.Tests.Stack;

public class SmallFiltersTests
{
    [Fact]
    public async Task ReadOnly_RefusesWritesAndTrims_AndPassesReads()
    {
        var content = StackTestData.Pattern(8192);
        await using var ro = new ReadOnlyFilter(MemoryBlockDevice.FromBytes(content));
        Assert.False(ro.CanWrite);
        await Assert.ThrowsAsync<BlockDeviceReadOnlyException>(() => ro.WriteAsync(0, new byte[1]).AsTask());
        await Assert.ThrowsAsync<BlockDeviceReadOnlyException>(() => ro.TrimAsync(0, 4096).AsTask());
        await ro.FlushAsync();
        Assert.Equal(content, await ro.ReadBytesAsync(0, 8192));
    }

    [Fact]
    public async Task Counting_CountsRequestsAndBytesPerOperation()
    {
        await using var c = new CountingFilter(new MemoryBlockDevice(1 << 20));
        await c.ReadBytesAsync(0, 100);
        await c.ReadBytesAsync(0, 50);
        await c.WriteAsync(0, new byte[70]);
        await c.FlushAsync();
        await c.TrimAsync(0, 65536);
        Assert.Equal((2, 150, 1, 70, 1, 1, 65536), (c.Reads, c.BytesRead, c.Writes, c.BytesWritten, c.Flushes, c.Trims, c.BytesTrimmed));
        c.Reset();
        Assert.Equal(0, c.Reads + c.BytesRead + c.Writes + c.Flushes + c.Trims);
    }

    [Fact]
    public async Task Builder_DisposesTheWholeStack_AndTheDeviceOnlyWhenOwned()
    {
        var owned = new DisposeProbe(new MemoryBlockDevice(4096));
        await BlockStack.Over(owned).ReadOnly().Trace(out _).Overlay().Cache().Build().DisposeAsync();
        Assert.True(owned.Disposed);

        var borrowed = new DisposeProbe(new MemoryBlockDevice(4096));
        var top = BlockStack.Over(borrowed, ownsDevice: false).ReadOnly().Overlay().Build();
        await top.WriteAsync(0, new byte[] { 1 });
        Assert.True(top.CanWrite);
        await top.DisposeAsync();
        Assert.False(borrowed.Disposed);
    }

    [Fact]
    public async Task Fault_FailsRequestsInBadRanges_AndEveryNth_UntilDisabled()
    {
        await using var stack = BlockStack.Over(new MemoryBlockDevice(1 << 20))
            .Faults(out var faults, [new Extent(8192, 4096)], failEveryNth: 5)
            .Build();
        await stack.ReadBytesAsync(0, 4096);                                                             // 1
        var ex = await Assert.ThrowsAsync<BlockDeviceException>(() => stack.ReadBytesAsync(8000, 512).AsTask()); // 2: overlaps
        Assert.Contains("8000", ex.Message);
        await stack.WriteAsync(0, new byte[1]);                                                          // 3
        await stack.ReadBytesAsync(12288, 10);                                                           // 4: just past the range
        await Assert.ThrowsAsync<BlockDeviceException>(() => stack.ReadBytesAsync(0, 1).AsTask());       // 5: every 5th
        Assert.Equal(2, faults.Faults);
        faults.Enabled = false;
        await stack.ReadBytesAsync(8192, 4096);
    }
}
