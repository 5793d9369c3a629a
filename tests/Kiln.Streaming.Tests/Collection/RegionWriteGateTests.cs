using Kiln.Streaming.Collection;

namespace Kiln.Streaming.Tests.Collection;

public sealed class RegionWriteGateTests
{
    [Fact]
    public async Task Writers_ShareTheGate_TheCollectorWaitsForAllOfThem_AndWritersWaitForTheCollector()
    {
        var gate = new RegionWriteGate();
        var first = await gate.EnterWriterAsync();
        var second = await gate.EnterWriterAsync(); // writers do not wait for each other

        var collector = gate.EnterCollectorAsync();
        Assert.False(collector.IsCompleted);
        await first.DisposeAsync();
        Assert.False(collector.IsCompleted); // one writer is still between its chunks and its manifest
        await second.DisposeAsync();
        var collecting = await collector;

        var writer = gate.EnterWriterAsync();
        Assert.False(writer.IsCompleted);
        await collecting.DisposeAsync();
        await (await writer).DisposeAsync();
        await (await gate.EnterCollectorAsync()).DisposeAsync();
    }

    [Fact]
    public async Task AWaitingCollector_HoldsNewWritersBack_SoItIsNotStarved()
    {
        var gate = new RegionWriteGate();
        var early = await gate.EnterWriterAsync();
        var collector = gate.EnterCollectorAsync();
        var late = gate.EnterWriterAsync();
        Assert.False(late.IsCompleted);

        await early.DisposeAsync();
        await (await collector).DisposeAsync();
        await (await late).DisposeAsync();
    }

    [Fact]
    public async Task AWaitingCollector_CanBeCanceled_AndTheWritersItHeldBackGoOn()
    {
        var gate = new RegionWriteGate();
        await using var writer = await gate.EnterWriterAsync();
        using var cancel = new CancellationTokenSource();
        var collector = gate.EnterCollectorAsync(cancel.Token);
        var late = gate.EnterWriterAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collector);
        await (await late).DisposeAsync();
    }

    [Fact]
    public async Task AWaitingCollector_CanBeCanceled()
    {
        var gate = new RegionWriteGate();
        await using var writer = await gate.EnterWriterAsync();
        using var cancel = new CancellationTokenSource();
        var collector = gate.EnterCollectorAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collector);
    }
}
