using System.Buffers;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Hydration;

// Demand path: make one chunk piece of a guest read present, by joining the pack stream when it
// is already bringing the bytes, else by fetching the whole chunk (coalesced, verified).
public sealed partial class HydratingDevice
{
    private async Task EnsurePresentAsync(int chunk, long offset, long length, CancellationToken ct)
    {
        if (_pack is not null && _prefetchStarted)
        {
            var segments = new List<int>(2);
            if (_pack.Covers(offset, length, segments))
            {
                var tasks = new Task[segments.Count];
                bool allRequested = true;
                lock (_lock)
                {
                    for (int i = 0; i < segments.Count && allRequested; i++)
                        allRequested = (tasks[i] = _segmentTasks[segments[i]]!) is not null;
                }
                if (allRequested)
                {
                    if (tasks.Any(t => !t.IsCompleted)) Interlocked.Increment(ref _counters.PrefetchJoins);
                    await Task.WhenAll(tasks).WaitAsync(ct).ConfigureAwait(false); // segment tasks never fault
                    if (_presence.AllPresent(offset, length)) return;
                }
            }
        }
        await FetchChunkAsync(chunk, FetchKind.Demand).WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One fetch per chunk at a time: a second reader of the same chunk awaits the first's request.</summary>
    private Task FetchChunkAsync(int chunk, FetchKind kind)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (_chunkFetches.TryGetValue(chunk, out var running))
            {
                Interlocked.Increment(ref _counters.CoalescedFetches);
                return running;
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _chunkFetches[chunk] = done.Task;
        }
        _ = RunChunkFetchAsync(chunk, kind, done);
        return done.Task;
    }

    private async Task RunChunkFetchAsync(int chunk, FetchKind kind, TaskCompletionSource done)
    {
        Exception? failure = null;
        try
        {
            await FetchChunkCoreAsync(chunk, kind, _life.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            failure = e;
        }
        // Leave the table before completing, so a later reader starts afresh instead of joining a finished fetch.
        lock (_lock) _chunkFetches.Remove(chunk);
        if (failure is null) done.SetResult();
        else done.SetException(failure);
    }

    private async Task FetchChunkCoreAsync(int chunk, FetchKind kind, CancellationToken ct)
    {
        var hash = _manifest.Chunks[chunk]!;
        var extent = _manifest.ChunkExtent(chunk);
        var key = RegionKeys.Chunk(hash);
        bool demand = kind == FetchKind.Demand;
        if (demand) await _demandSlots.WaitAsync(ct).ConfigureAwait(false);
        var rented = ArrayPool<byte>.Shared.Rent((int)extent.Length);
        try
        {
            if (_presence.AllPresent(extent.Offset, extent.Length)) return; // the pack brought it meanwhile
            var data = rented.AsMemory(0, (int)extent.Length);
            string actual = "";
            for (int attempt = 0; attempt < 2; attempt++)
            {
                int n = await _region.ReadExactlyAsync(key, 0, data, ct).ConfigureAwait(false);
                _counters.Fetched(kind, n);
                actual = ChunkHash.Of(data.Span[..n]);
                if (n == data.Length && actual == hash)
                {
                    await WriteCacheAsync(extent.Offset, data, ct).ConfigureAwait(false);
                    _presence.MarkCovered(extent.Offset, extent.Length);
                    return;
                }
                Interlocked.Increment(ref _counters.VerificationFailures);
            }
            throw new ChunkVerificationException("chunk", chunk, hash, actual, _region.Name, key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            if (demand) _demandSlots.Release();
        }
    }
}
