using Kiln.Storage.Blocks;
using Kiln.Storage.Stack;

namespace Kiln.Storage.Tests.Stack;

public class CopyOnWriteOverlayTests
{
    [Fact]
    public async Task Writes_AreSeen_ButTheImageNeverChanges()
    {
        var image = StackTestData.Pattern((1 << 20) + 333);
        await using var memory = MemoryBlockDevice.FromBytes(image);
        await using var stack = BlockStack.Over(memory, ownsDevice: false)
            .ReadOnly()
            .Count(out var baseCounts)
            .Overlay(out var overlay)
            .Build();

        // Model of what the guest should see.
        var expected = (byte[])image.Clone();
        var rng = new Random(9);
        for (int i = 0; i < 300; i++)
        {
            int len = rng.Next(1, 30_000);
            int offset = rng.Next(0, image.Length - len);
            if (rng.Next(3) == 0)
            {
                var data = new byte[len];
                rng.NextBytes(data);
                await stack.WriteAsync(offset, data);
                data.CopyTo(expected, offset);
            }
            else
            {
                Assert.Equal(expected.AsSpan(offset, len).ToArray(), await stack.ReadBytesAsync(offset, len));
            }
        }
        await stack.FlushAsync();
        Assert.Equal(expected, await stack.ReadBytesAsync(0, expected.Length));
        Assert.Equal(image, await memory.ReadBytesAsync(0, image.Length));
        Assert.Equal(0, baseCounts.Writes);
        Assert.True(overlay.WrittenBlocks > 0);
    }

    [Fact]
    public async Task ReadsOfWrittenBlocks_DoNotReachTheBase()
    {
        var counting = new CountingFilter(MemoryBlockDevice.FromBytes(StackTestData.Pattern(1 << 16)));
        await using var overlay = new CopyOnWriteOverlay(counting, granularity: 4096);
        await overlay.WriteAsync(8192, new byte[4096]); // whole block: no copy from the base
        Assert.Equal(0, counting.Reads);
        await overlay.WriteAsync(100, new byte[] { 7 }); // partial: block 0 is copied up once
        Assert.Equal(1, counting.Reads);
        counting.Reset();

        Assert.Equal(7, (await overlay.ReadBytesAsync(100, 1))[0]);
        Assert.All(await overlay.ReadBytesAsync(8192, 4096), b => Assert.Equal(0, b));
        Assert.Equal(0, counting.Reads);

        await overlay.ReadBytesAsync(0, 3 * 4096); // block 1 comes from the base, blocks 0 and 2 from the overlay
        Assert.Equal(1, counting.Reads);
        Assert.Equal(4096, counting.BytesRead);
        Assert.True(overlay.IsWritten(8192) && !overlay.IsWritten(4096));
    }

    [Fact]
    public async Task AllocatedExtents_AreTheUnionOfBaseAndOverlay()
    {
        var memory = new MemoryBlockDevice(1 << 20);
        await memory.WriteAsync(0, new byte[] { 1 });
        await using var overlay = new CopyOnWriteOverlay(memory, granularity: 4096);
        await overlay.WriteAsync(65536, new byte[4096]);
        await overlay.WriteAsync(512 * 1024, new byte[] { 1 });
        var extents = new List<Extent>();
        await foreach (var e in overlay.GetAllocatedExtentsAsync()) extents.Add(e);
        Assert.Equal([new Extent(0, 65536 + 4096), new Extent(512 * 1024, 4096)], extents);
    }

    [Fact]
    public async Task RejectsABadGranularity_AndAShortOverlay()
    {
        await using var memory = new MemoryBlockDevice(1 << 20);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CopyOnWriteOverlay(memory, granularity: 1000, ownsBase: false));
        Assert.Throws<ArgumentException>(() => new CopyOnWriteOverlay(memory, new MemoryBlockDevice(4096), ownsBase: false));
    }

    [Fact]
    public async Task ATempFileOverlay_Works_AndIsDeletedOnDispose()
    {
        var image = StackTestData.Pattern(1 << 20);
        await using var memory = MemoryBlockDevice.FromBytes(image);
        var scratch = TempFileBlockDevice.Create(memory.Length);
        Assert.True(File.Exists(scratch.Path));
        await using (var overlay = new CopyOnWriteOverlay(memory, scratch, ownsBase: false))
        {
            await overlay.WriteAsync(1000, new byte[] { 1, 2, 3 });
            var back = await overlay.ReadBytesAsync(0, 8192);
            Assert.Equal(image.AsSpan(0, 1000).ToArray(), back[..1000]);
            Assert.Equal(new byte[] { 1, 2, 3 }, back[1000..1003]);
            Assert.Equal(image.AsSpan(1003, 8192 - 1003).ToArray(), back[1003..]);
        }
        Assert.False(File.Exists(scratch.Path));
        Assert.Equal(image, await memory.ReadBytesAsync(0, image.Length));
    }
}
