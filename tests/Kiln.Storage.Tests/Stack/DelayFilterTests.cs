using Kiln.Storage.Blocks;
using Kiln.Storage.Stack;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Storage.Tests.Stack;

/// <summary>Delays measured on a fake clock: deterministic, no timed assertions.</summary>
public class DelayFilterTests
{
    [Fact]
    public async Task ReadWaitsForLatencyPlusTransferTime()
    {
        var time = new FakeTimeProvider();
        await using var delay = new DelayFilter(new MemoryBlockDevice(4 << 20), TimeSpan.FromMilliseconds(10), bytesPerSecond: 1 << 20, time);
        var read = delay.ReadBytesAsync(0, 1 << 20).AsTask(); // 10 ms + 1 s
        time.Advance(TimeSpan.FromMilliseconds(1000));
        await Task.Delay(20);
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        await read.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConcurrentRequests_ShareTheBandwidth()
    {
        var time = new FakeTimeProvider();
        await using var delay = new DelayFilter(new MemoryBlockDevice(4 << 20), TimeSpan.Zero, bytesPerSecond: 1 << 20, time);
        var first = delay.ReadBytesAsync(0, 1 << 20).AsTask();
        var second = delay.ReadBytesAsync(1 << 20, 1 << 20).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(20);
        Assert.False(second.IsCompleted); // queued behind the first megabyte
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FlushAndWrite_WaitTheLatency()
    {
        var time = new FakeTimeProvider();
        await using var delay = new DelayFilter(new MemoryBlockDevice(4096), TimeSpan.FromSeconds(5), time: time);
        var flush = delay.FlushAsync().AsTask();
        var write = delay.WriteAsync(0, new byte[] { 1 }).AsTask();
        await Task.Delay(20);
        Assert.False(flush.IsCompleted || write.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await Task.WhenAll(flush, write).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
