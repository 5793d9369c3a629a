using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Makes a fast device behave like a remote one: every request waits a fixed latency, and
/// reads and writes share a bandwidth cap (a reservation clock, so concurrent requests queue
/// behind each other instead of each getting the full bandwidth). For tests and benchmarks.
/// </summary>
public sealed class DelayFilter : BlockFilter
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private DateTimeOffset _linkFreeAt = DateTimeOffset.MinValue;

    /// <param name="latency">Added to every request (reads, writes, flushes, trims).</param>
    /// <param name="bytesPerSecond">Cap on read + write payload bandwidth; null for none.</param>
    public DelayFilter(IBlockDevice next, TimeSpan latency, long? bytesPerSecond = null,
        TimeProvider? time = null, bool ownsNext = true) : base(next, ownsNext)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        if (bytesPerSecond is <= 0) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), "must be positive (or null for no cap)");
        Latency = latency;
        BytesPerSecond = bytesPerSecond;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Latency { get; }
    public long? BytesPerSecond { get; }

    public override async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        await WaitAsync(buffer.Length, ct).ConfigureAwait(false);
        await Next.ReadAsync(offset, buffer, ct).ConfigureAwait(false);
    }

    public override async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await WaitAsync(data.Length, ct).ConfigureAwait(false);
        await Next.WriteAsync(offset, data, ct).ConfigureAwait(false);
    }

    public override async ValueTask FlushAsync(CancellationToken ct = default)
    {
        await WaitAsync(0, ct).ConfigureAwait(false);
        await Next.FlushAsync(ct).ConfigureAwait(false);
    }

    public override async ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
    {
        await WaitAsync(0, ct).ConfigureAwait(false);
        await Next.TrimAsync(offset, length, ct).ConfigureAwait(false);
    }

    private Task WaitAsync(long payloadBytes, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var wait = Latency;
        if (BytesPerSecond is { } bps && payloadBytes > 0)
        {
            var transfer = TimeSpan.FromSeconds((double)payloadBytes / bps);
            lock (_lock)
            {
                var start = _linkFreeAt > now ? _linkFreeAt : now;
                _linkFreeAt = start + transfer;
                wait += _linkFreeAt - now;
            }
        }
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, _time, ct);
    }
}
