using Kiln.Storage.Blocks;

namespace Kiln.Storage.Tests.Stack;

internal static class StackTestData
{
    public static byte[] Pattern(int length, int seed = 1)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }
}

/// <summary>Holds every read until <see cref="Open"/> is called, so tests can pile up concurrent misses.</summary>
internal sealed class GateFilter(IBlockDevice next) : BlockFilter(next)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    public int Waiting => Volatile.Read(ref _waiting);

    public void Open() => _gate.TrySetResult();

    public override async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _waiting);
        await _gate.Task;
        await base.ReadAsync(offset, buffer, ct);
    }
}

/// <summary>Remembers being disposed (MemoryBlockDevice does nothing observable on dispose).</summary>
internal sealed class DisposeProbe(IBlockDevice next) : BlockFilter(next)
{
    public bool Disposed { get; private set; }

    public override ValueTask DisposeAsync()
    {
        Disposed = true;
        return base.DisposeAsync();
    }
}
