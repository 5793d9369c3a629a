using Kiln.Storage.Blocks;
using Kiln.Storage.Stack;

namespace Kiln.Storage.Tests.Stack;

public class CacheFilterTests
{
    [Fact]
    public async Task RepeatedReads_NeverReachTheBottom_OfMemoryDelayCountingCache()
    {
        var content = StackTestData.Pattern((1 << 20) + 1000);
        await using var stack = BlockStack.Over(MemoryBlockDevice.FromBytes(content))
            .Delay(TimeSpan.FromMilliseconds(1))
            .Count(out var counts)
            .Cache(out var cache, blockSize: 64 * 1024, capacityBytes: null)
            .Build();

        var rng = new Random(4);
        var reads = Enumerable.Range(0, 200).Select(_ =>
        {
            int len = rng.Next(1, 20_000);
            return (Offset: rng.Next(0, content.Length - len), Length: len);
        }).ToList();

        foreach (var (offset, length) in reads)
            Assert.Equal(content.AsSpan(offset, length).ToArray(), await stack.ReadBytesAsync(offset, length));
        long readsAfterFirstPass = counts.Reads;
        Assert.True(readsAfterFirstPass <= 17, $"{readsAfterFirstPass} reads: each 64 KiB block should be read at most once");

        foreach (var (offset, length) in reads)
            Assert.Equal(content.AsSpan(offset, length).ToArray(), await stack.ReadBytesAsync(offset, length));
        Assert.Equal(readsAfterFirstPass, counts.Reads);
        Assert.True(cache.Hits > 0);
    }

    [Fact]
    public async Task ConcurrentMisses_OnOneBlock_ShareOneRead()
    {
        var content = StackTestData.Pattern(1 << 18);
        var counting = new CountingFilter(MemoryBlockDevice.FromBytes(content));
        var gate = new GateFilter(counting);
        await using var cache = new CacheFilter(gate);

        var tasks = Enumerable.Range(0, 10).Select(i => cache.ReadBytesAsync(1000 + i * 100, 512).AsTask()).ToList();
        while (gate.Waiting == 0) await Task.Delay(1);
        gate.Open();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(1, counting.Reads);
        for (int i = 0; i < 10; i++) Assert.Equal(content.AsSpan(1000 + i * 100, 512).ToArray(), results[i]);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(9, cache.Hits);
    }

    [Fact]
    public async Task ByteBudget_EvictsTheLeastRecentlyUsedBlock()
    {
        var counting = new CountingFilter(MemoryBlockDevice.FromBytes(StackTestData.Pattern(1 << 20)));
        await using var cache = new CacheFilter(counting, blockSize: 4096, capacityBytes: 2 * 4096);
        await cache.ReadBytesAsync(0, 10);      // block 0
        await cache.ReadBytesAsync(4096, 10);   // block 1
        await cache.ReadBytesAsync(0, 10);      // block 0 is now the most recent
        await cache.ReadBytesAsync(8192, 10);   // block 2 evicts block 1
        Assert.Equal(3, counting.Reads);
        Assert.True(cache.CachedBytes <= 2 * 4096);

        await cache.ReadBytesAsync(0, 10);      // still cached
        Assert.Equal(3, counting.Reads);
        await cache.ReadBytesAsync(4096, 10);   // was evicted
        Assert.Equal(4, counting.Reads);
    }

    [Fact]
    public async Task Writes_AndTrims_GoThrough_AndDropStaleBlocks()
    {
        await using var memory = MemoryBlockDevice.FromBytes(StackTestData.Pattern(1 << 18));
        await using var cache = new CacheFilter(memory, ownsNext: false);
        await cache.ReadBytesAsync(0, 100_000); // caches blocks 0 and 1
        await cache.WriteAsync(70_000, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, await cache.ReadBytesAsync(70_000, 3));
        Assert.Equal(new byte[] { 1, 2, 3 }, await memory.ReadBytesAsync(70_000, 3));

        await cache.TrimAsync(0, 1 << 18);
        Assert.All(await cache.ReadBytesAsync(65536, 65536), b => Assert.Equal(0, b)); // memory drops whole trimmed pages
    }

    [Fact]
    public async Task ShortLastBlock_AndReadsPastTheEnd()
    {
        var content = StackTestData.Pattern(70_000);
        await using var cache = new CacheFilter(MemoryBlockDevice.FromBytes(content));
        Assert.Equal(content.AsSpan(65_000).ToArray(), await cache.ReadBytesAsync(65_000, 5_000));
        await Assert.ThrowsAsync<BlockDeviceException>(() => cache.ReadBytesAsync(69_000, 2_000).AsTask());
    }

    [Fact]
    public async Task AColdLargeRead_ReachesTheDeviceAsOneRead_AndOnlyMissingRunsAreFetched()
    {
        var content = StackTestData.Pattern(1 << 20);
        var counting = new CountingFilter(MemoryBlockDevice.FromBytes(content));
        await using var cache = new CacheFilter(counting, blockSize: 4096, capacityBytes: null);
        await cache.ReadBytesAsync(8 * 4096, 10);  // block 8 cached
        counting.Reset();

        Assert.Equal(content.AsSpan(100, 16 * 4096).ToArray(), await cache.ReadBytesAsync(100, 16 * 4096)); // blocks 0..16
        Assert.Equal(2, counting.Reads); // runs 0..7 and 9..16, block 8 from the cache
        Assert.Equal(16 * 4096, counting.BytesRead);
    }

    [Fact]
    public async Task AFailedLoad_FailsItsReaders_AndALaterReadRetries()
    {
        var content = StackTestData.Pattern(1 << 16);
        var flaky = new FlakyDevice(MemoryBlockDevice.FromBytes(content), failOnCall: 2);
        await using var cache = new CacheFilter(flaky, blockSize: 4096);
        await cache.ReadBytesAsync(4096, 1); // call 1: block 1 cached
        // Runs [0] and [2]: the first fails (call 2), so the second is abandoned, not left pending.
        await Assert.ThrowsAsync<BlockDeviceException>(() => cache.ReadBytesAsync(0, 3 * 4096).AsTask());
        var again = await cache.ReadBytesAsync(0, 3 * 4096).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(content.AsSpan(0, 3 * 4096).ToArray(), again);
    }

    private sealed class FlakyDevice(IBlockDevice next, int failOnCall) : BlockFilter(next)
    {
        private int _calls;

        public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
            => Interlocked.Increment(ref _calls) == failOnCall ? throw new BlockDeviceException("transient failure") : base.ReadAsync(offset, buffer, ct);
    }
}
