using System.Buffers;
using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Hydration;

// Prefetch path: stream the boot pack from its start, a few segment-sized range requests in
// flight (pipelined across the latency), each verified and scattered to its image offsets.
public sealed partial class HydratingDevice
{
    /// <summary>
    /// Starts streaming the boot pack (if the version has one) and, when
    /// <see cref="HydratingDeviceOptions.HydrateRemainder"/> is set, the remaining chunks after it.
    /// Returns at once; <see cref="PrefetchCompletion"/> tells when it is done. Calling it again does nothing.
    /// </summary>
    public void StartPrefetch()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_lock)
        {
            if (_prefetchStarted) return;
            _prefetchStarted = true;
        }
        // Run the loop inline up to its first wait, so the first segments are already requested
        // (and joinable by reads) when this returns: the guest's first read then waits for
        // segment 0 instead of racing the stream with a chunk request of its own.
        var loop = PrefetchLoopAsync(_life.Token);
        lock (_lock) _prefetch = loop;
    }

    /// <summary>Completes when the prefetch has finished (or was never started). Never faults; see <see cref="HydrationStats.PrefetchError"/>.</summary>
    public Task PrefetchCompletion => Volatile.Read(ref _prefetch) ?? Task.CompletedTask;

    private async Task PrefetchLoopAsync(CancellationToken ct)
    {
        var running = new List<Task>(_segmentTasks.Length);
        try
        {
            if (_pack is not null)
            {
                using var depth = new SemaphoreSlim(_options.PrefetchDepth);
                try
                {
                    for (int s = 0; s < _segmentTasks.Length; s++)
                    {
                        await depth.WaitAsync(ct).ConfigureAwait(false);
                        Task task;
                        if (SegmentPresent(s))
                        {
                            Interlocked.Increment(ref _counters.PackSegmentsSkipped);
                            depth.Release();
                            task = Task.CompletedTask;
                        }
                        else task = FetchSegmentAsync(s, depth, ct);
                        lock (_lock) _segmentTasks[s] = task;
                        running.Add(task);
                    }
                }
                finally
                {
                    // Segment tasks never fault; wait for them even when cancelled, so none writes to a closed cache file.
                    await Task.WhenAll(running).ConfigureAwait(false);
                }
            }
            _counters.PrefetchCompleted = true;
            if (_options.HydrateRemainder) await HydrateRemainderAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The device is closing.
        }
    }

    private bool SegmentPresent(int segment)
    {
        foreach (var piece in _pack!.BySegment[segment])
            if (!_presence.AllPresent(piece.ImageOffset, piece.Length)) return false;
        return true;
    }

    /// <summary>Fetches, verifies and scatters one segment. Never throws: a failure is recorded and reads fall back to chunks.</summary>
    private async Task FetchSegmentAsync(int segment, SemaphoreSlim depth, CancellationToken ct)
    {
        var pack = _pack!.Pack;
        var key = RegionKeys.Pack(pack.Id);
        int length = (int)pack.SegmentLength(segment);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var data = rented.AsMemory(0, length);
            long start = (long)segment * pack.SegmentSize;
            for (int attempt = 0; attempt < 2; attempt++)
            {
                int n = await _region.ReadExactlyAsync(key, start, data, ct).ConfigureAwait(false);
                _counters.Fetched(FetchKind.Prefetch, n);
                bool stored = false;
                // Verify and copy below normal priority: see BackgroundLane for why.
                await _lane.RunAsync(() => stored = n == length && ChunkHash.Matches(data.Span, pack.SegmentHashes[segment]) && Scatter(segment, data.Span, start))
                    .ConfigureAwait(false);
                if (stored)
                {
                    Interlocked.Increment(ref _counters.PackSegmentsFetched);
                    return;
                }
                Interlocked.Increment(ref _counters.VerificationFailures);
            }
            _counters.PrefetchError ??= $"region '{_region.Name}': pack segment {segment} of '{key}' failed sha256 verification twice; reads use chunks instead.";
        }
        catch (Exception e) when (e is IOException && !ct.IsCancellationRequested)
        {
            _counters.PrefetchError ??= $"region '{_region.Name}': pack segment {segment} of '{key}': {e.Message}";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The device is closing.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            depth.Release();
        }
    }

    /// <summary>Writes a verified segment's pieces to their image offsets (skipping what a demand fetch already brought) and marks them present.</summary>
    private bool Scatter(int segment, ReadOnlySpan<byte> data, long start)
    {
        foreach (var piece in _pack!.BySegment[segment])
        {
            if (_presence.AllPresent(piece.ImageOffset, piece.Length)) continue;
            WriteCache(piece.ImageOffset, data.Slice((int)(piece.PackOffset - start), (int)piece.Length));
            _presence.MarkCovered(piece.ImageOffset, piece.Length);
        }
        return true;
    }

    private async Task HydrateRemainderAsync(CancellationToken ct)
    {
        var missing = Enumerable.Range(0, _manifest.ChunkCount)
            .Where(c => _manifest.Chunks[c] is not null)
            .Where(c => !_presence.AllPresent(_manifest.ChunkExtent(c).Offset, _manifest.ChunkExtent(c).Length));
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = _options.PrefetchDepth, CancellationToken = ct },
            async (chunk, token) =>
            {
                try
                {
                    await FetchChunkAsync(chunk, FetchKind.Background).WaitAsync(token).ConfigureAwait(false);
                }
                catch (BlockDeviceException e)
                {
                    // A bad chunk fails only the guest reads that need it; keep hydrating the rest.
                    _counters.PrefetchError ??= e.Message;
                }
            }).ConfigureAwait(false);
    }
}
