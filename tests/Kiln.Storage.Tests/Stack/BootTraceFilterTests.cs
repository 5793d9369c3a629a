using Kiln.Storage.Blocks;
using Kiln.Storage.Stack;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Storage.Tests.Stack;

public class BootTraceFilterTests
{
    [Fact]
    public async Task RecordsOnlyReadsThatReachTheImage_WithTimeOffsetAndLength()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var stack = BlockStack.Over(MemoryBlockDevice.FromBytes(StackTestData.Pattern(1 << 20)))
            .ReadOnly()
            .Trace(out var trace, time)
            .Overlay(granularity: 4096)
            .Build();
        Assert.Null(trace.LastReadAt);

        time.Advance(TimeSpan.FromSeconds(1));
        await stack.ReadBytesAsync(0, 512);
        time.Advance(TimeSpan.FromSeconds(2));
        await stack.WriteAsync(65536, new byte[8192]);     // whole blocks: no image read
        await stack.ReadBytesAsync(65536, 8192);           // served by the overlay: not an image read
        await stack.ReadBytesAsync(65536 + 8192, 1024);    // image read
        await stack.WriteAsync(200_000, new byte[] { 1 }); // partial block: copy-up reads the image block

        var reads = trace.Snapshot();
        Assert.Equal(
        [
            new BootTraceRead(TimeSpan.FromSeconds(1), 0, 512),
            new BootTraceRead(TimeSpan.FromSeconds(3), 65536 + 8192, 1024),
            new BootTraceRead(TimeSpan.FromSeconds(3), 200_000 / 4096 * 4096, 4096),
        ], reads);
        Assert.Equal(3, trace.Count);
        Assert.Equal(512 + 1024 + 4096, trace.BytesRead);
        Assert.Equal(time.GetUtcNow(), trace.LastReadAt);

        trace.Restart();
        Assert.Equal(0, trace.Count);
        Assert.Null(trace.LastReadAt);
    }

    [Fact]
    public async Task ConcurrentReads_AreAllRecorded()
    {
        await using var trace = new BootTraceFilter(new MemoryBlockDevice(1 << 20));
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), async (i, ct) => await trace.ReadBytesAsync(i * 512L, 512, ct));
        Assert.Equal(1000, trace.Count);
        Assert.Equal(1000 * 512, trace.BytesRead);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 512L), trace.Snapshot().Select(r => r.Offset).Order());
    }
}
