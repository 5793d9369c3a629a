namespace Kiln.Streaming.Tests;

/// <summary>A clock that moves only when told (a fake at the time boundary), so timing models can be checked without wall-clock assertions.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() { lock (_lock) return _ticks; }
    public override DateTimeOffset GetUtcNow() { lock (_lock) return new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(_ticks); }

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers { get { lock (_lock) return _timers.Count(t => t.DueAt is not null); } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _ticks += by.Ticks;
            due = _timers.Where(t => t.DueAt is { } at && at <= _ticks).ToList();
            foreach (var t in due) t.DueAt = null; // one-shot timers only (Task.Delay)
        }
        foreach (var t in due) t.Fire();
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._ticks + dueTime.Ticks;
                if (!owner._timers.Contains(this)) owner._timers.Add(this);
            }
            if (dueTime == TimeSpan.Zero) { lock (owner._lock) DueAt = null; Fire(); }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() { lock (owner._lock) owner._timers.Remove(this); }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
