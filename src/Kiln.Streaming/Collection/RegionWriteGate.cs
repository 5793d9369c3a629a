namespace Kiln.Streaming.Collection;

/// <summary>
/// An in-process reader/writer gate between region writers and a collector: any number of writers
/// (publishes, replications) hold it together, a collector holds it alone. A collector that holds it
/// knows no writer of this process is between storing chunks and writing their manifest, so it may
/// collect with no grace. Writers in other processes are not covered: they need the grace. A waiting
/// collector keeps new writers out until it has had its turn. Not reentrant: a writer must not
/// enter again while it holds the gate.
/// </summary>
public sealed class RegionWriteGate
{
    private readonly Lock _lock = new();
    private int _writers;
    private int _collectorsWaiting;
    private bool _collecting;
    private TaskCompletionSource? _changed;

    /// <summary>Enter as a writer (shared); waits while a collector holds the gate.</summary>
    public Task<IAsyncDisposable> EnterWriterAsync(CancellationToken ct = default) => EnterAsync(exclusive: false, ct);

    /// <summary>Enter as the collector (exclusive); waits until every writer has left.</summary>
    public Task<IAsyncDisposable> EnterCollectorAsync(CancellationToken ct = default) => EnterAsync(exclusive: true, ct);

    private async Task<IAsyncDisposable> EnterAsync(bool exclusive, CancellationToken ct)
    {
        bool queued = false; // a waiting collector holds new writers back, so a steady stream of publishes cannot starve it
        try
        {
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    if (exclusive && !_collecting && _writers == 0)
                    {
                        _collecting = true;
                        if (queued) { _collectorsWaiting--; queued = false; }
                        return new Holder(this, exclusive);
                    }
                    if (!exclusive && !_collecting && _collectorsWaiting == 0)
                    {
                        _writers++;
                        return new Holder(this, exclusive);
                    }
                    if (exclusive && !queued) { _collectorsWaiting++; queued = true; }
                    _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed = _changed.Task;
                }
                await changed.WaitAsync(ct).ConfigureAwait(false); // then look again: another waiter may have won
            }
        }
        finally
        {
            if (queued) // canceled while waiting: writers held back for this collector may go on
            {
                lock (_lock) _collectorsWaiting--;
                Wake();
            }
        }
    }

    private void Leave(bool exclusive)
    {
        lock (_lock)
        {
            if (exclusive) _collecting = false;
            else _writers--;
        }
        Wake();
    }

    private void Wake()
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = null;
        }
        changed?.TrySetResult();
    }

    private sealed class Holder(RegionWriteGate gate, bool exclusive) : IAsyncDisposable
    {
        private int _left;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) gate.Leave(exclusive);
            return ValueTask.CompletedTask;
        }
    }
}
