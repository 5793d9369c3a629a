using Kiln.Control.Persistence;

namespace Kiln.Control.Operations;

/// <summary>
/// Deletes finished operation records older than <see cref="OperationRetention.Age"/>: once at start-up, then every
/// <see cref="OperationRetention.Interval"/> on the plane's <see cref="TimeProvider"/>. Polling a pruned operation answers
/// as for an operation that never existed. A failed pass is logged and the next one tries again.
/// </summary>
public sealed class OperationPruner(IResourceStore store, TimeProvider clock, OperationRetention retention, Action<string> log) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Raised after each timed pass with how many records went (tests wait on it instead of on time).</summary>
    public event Action<int>? Passed;

    public OperationRetention Retention => retention;

    /// <summary>Deletes what has expired now; returns how many records went.</summary>
    public Task<int> PruneOnceAsync(CancellationToken ct) => store.PruneOperationsAsync(clock.GetUtcNow() - retention.Age, ct);

    /// <summary>Prunes once (a failure here fails start-up: the store is unusable), then starts the timed passes.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        retention.Validate();
        int pruned = await PruneOnceAsync(ct);
        if (pruned > 0)
            log($"pruned {pruned} operation records that ended over {retention.Age} ago");
        // The timer starts counting now, not when the loop thread first runs: a clock moved in between must not be missed.
        var timer = new PeriodicTimer(retention.Interval, clock);
        _loop = Task.Run(() => LoopAsync(timer, _stop.Token), CancellationToken.None);
    }

    private async Task LoopAsync(PeriodicTimer timer, CancellationToken ct)
    {
        using var owned = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                int pruned = 0;
                try
                {
                    pruned = await PruneOnceAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log($"pruning operation records failed, next try in {retention.Interval}: {e.Message}");
                }
                Passed?.Invoke(pruned);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop;
        _stop.Dispose();
    }
}
