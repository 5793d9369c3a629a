using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Records (time, offset, length) of every read that reaches it, in arrival order. Stack it
/// directly over the image and BELOW any copy-on-write overlay or cache, so that reads served
/// from the overlay (data the guest wrote itself) or from a cache are not counted as image
/// reads. Thread-safe; <see cref="LastReadAt"/> lets a boot runner detect read quiescence.
/// </summary>
public sealed class BootTraceFilter : BlockFilter
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<BootTraceRead> _reads = new();
    private long _startTimestamp;
    private long _bytes;
    private DateTimeOffset? _lastReadAt;

    public BootTraceFilter(IBlockDevice next, TimeProvider? time = null, bool ownsNext = true) : base(next, ownsNext)
    {
        _time = time ?? TimeProvider.System;
        _startTimestamp = _time.GetTimestamp();
        Started = _time.GetUtcNow();
    }

    /// <summary>Wall-clock time the trace (re)started; <see cref="BootTraceRead.Time"/> is relative to it.</summary>
    public DateTimeOffset Started { get; private set; }

    public int Count { get { lock (_lock) return _reads.Count; } }

    public long BytesRead { get { lock (_lock) return _bytes; } }

    /// <summary>When the latest read arrived (null before the first): quiet for N seconds = the guest stopped reading.</summary>
    public DateTimeOffset? LastReadAt { get { lock (_lock) return _lastReadAt; } }

    /// <summary>A copy of the reads so far, in arrival order.</summary>
    public IReadOnlyList<BootTraceRead> Snapshot() { lock (_lock) return _reads.ToArray(); }

    /// <summary>Forgets every read and restarts the clock (one trace per boot on a reused stack).</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _reads.Clear();
            _bytes = 0;
            _lastReadAt = null;
            _startTimestamp = _time.GetTimestamp();
            Started = _time.GetUtcNow();
        }
    }

    public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        // Record on arrival, not completion: the profile wants first-touch order.
        if (buffer.Length > 0)
        {
            lock (_lock)
            {
                _reads.Add(new BootTraceRead(_time.GetElapsedTime(_startTimestamp), offset, buffer.Length));
                _bytes += buffer.Length;
                _lastReadAt = _time.GetUtcNow();
            }
        }
        return Next.ReadAsync(offset, buffer, ct);
    }
}
