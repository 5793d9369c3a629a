namespace Kiln.Streaming.Collection;

/// <summary>
/// An in-process reader/writer gate between region writers and a collector: any number of writers
/// (publishes, replications) hold it together, a collector holds it alone. A collector that holds it
/// knows no writer of this process is between storing chunks and writing their manifest, so it may
/// collect with no grace. Writers in other processes are not covered: they need the grace.
/// </summary>
public sealed class RegionWriteGate
{
    private readonly Lock _lock = new();
    private int _writers;
    private bool _collecting;
    private TaskCompletionSource? _changed;

    /// <summary>Enter as a writer (shared); waits while a collector holds the gate.</summary>
    public Task<IAsyncDisposable> EnterWriterAsync(CancellationToken ct = default) => EnterAsync(exclusive: false, ct);

    /// <summary>Enter as the collector (exclusive); waits until every writer has left.</summary>
    public Task<IAsyncDisposable> EnterCollectorAsync(CancellationToken ct = default) => EnterAsync(exclusive: true, ct);

    private async Task<IAsyncDisposable> EnterAsync(bool exclusive, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (!_collecting && (!exclusive || _writers == 0))
                {
                    if (exclusive) _collecting = true;
                    else _writers++;
                    return new Holder(this, exclusive);
                }
                _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = _changed.Task;
            }
            await changed.WaitAsync(ct).ConfigureAwait(false); // then look again: another waiter may have won
        }
    }

    private void Leave(bool exclusive)
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            if (exclusive) _collecting = false;
            else _writers--;
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
