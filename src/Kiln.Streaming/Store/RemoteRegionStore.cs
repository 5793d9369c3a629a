using System.Runtime.CompilerServices;

namespace Kiln.Streaming.Store;

/// <summary>
/// A region reached over a network: wraps another store and adds per-request latency and a
/// bandwidth cap (see <see cref="RemoteLinkOptions"/>), and counts requests and bytes, so
/// benchmarks and tests measure "remote" instead of imagining it. This works at the object level
/// (one ranged GET = one request); the block-level delay filter in Kiln.Storage.Stack is the
/// NBD-side counterpart.
/// </summary>
public sealed class RemoteRegionStore(IRegionStore inner, RemoteLinkOptions link, TimeProvider? time = null) : IRegionStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _linkLock = new();
    private long _linkFreeAt; // timestamp (TimeProvider ticks) at which the link finishes its queued transfers
    private long _requests, _bytesRead, _bytesWritten, _sequence;

    public string Name => inner.Name;
    public IRegionStore Inner => inner;
    public RemoteLinkOptions Link => link;

    public long Requests => Interlocked.Read(ref _requests);
    public long BytesRead => Interlocked.Read(ref _bytesRead);
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Raised after each request completes (from the completing thread).</summary>
    public event Action<RemoteRequest>? RequestCompleted;

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bytesRead, 0);
        Interlocked.Exchange(ref _bytesWritten, 0);
    }

    public async ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        var result = await inner.ExistsAsync(key, ct).ConfigureAwait(false);
        Completed("exists", key, 0, 0);
        return result;
    }

    public async ValueTask<long?> GetLengthAsync(string key, CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        var result = await inner.GetLengthAsync(key, ct).ConfigureAwait(false);
        Completed("head", key, 0, 0);
        return result;
    }

    public async ValueTask<int> ReadAsync(string key, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        // Read first so the transfer is charged for the bytes that actually exist.
        int n = await inner.ReadAsync(key, offset, buffer, ct).ConfigureAwait(false);
        await TravelAsync(n, ct).ConfigureAwait(false);
        Interlocked.Add(ref _bytesRead, n);
        Completed("get", key, offset, n);
        return n;
    }

    public async ValueTask PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        // The upload's size is known only once the content has been read: latency first, the
        // transfer charged after the inner store has taken the bytes.
        var counting = new CountingReadStream(content);
        if (link.Latency > TimeSpan.Zero)
            await Task.Delay(link.Latency, _time, ct).ConfigureAwait(false);
        await inner.PutAsync(key, counting, ct).ConfigureAwait(false);
        await TransferAsync(counting.BytesRead, ct).ConfigureAwait(false);
        Interlocked.Add(ref _bytesWritten, counting.BytesRead);
        Completed("put", key, 0, counting.BytesRead);
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        await foreach (var key in inner.ListAsync(prefix, ct).ConfigureAwait(false))
            yield return key;
        Completed("list", prefix, 0, 0);
    }

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        var result = await inner.DeleteAsync(key, ct).ConfigureAwait(false);
        Completed("delete", key, 0, 0);
        return result;
    }

    public async IAsyncEnumerable<RegionObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        await foreach (var item in inner.ListObjectsAsync(prefix, ct).ConfigureAwait(false))
            yield return item;
        Completed("list", prefix, 0, 0);
    }

    public async ValueTask<bool> TouchAsync(string key, CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        var result = await inner.TouchAsync(key, ct).ConfigureAwait(false);
        Completed("touch", key, 0, 0);
        return result;
    }

    public async ValueTask<bool> DeleteIfUnmodifiedSinceAsync(string key, DateTimeOffset cutoff, CancellationToken ct = default)
    {
        await TravelAsync(0, ct).ConfigureAwait(false);
        var result = await inner.DeleteIfUnmodifiedSinceAsync(key, cutoff, ct).ConfigureAwait(false);
        Completed("delete", key, 0, 0);
        return result;
    }

    /// <summary>
    /// Latency, then the transfer, as one wait. The link is a virtual clock: a response's bytes
    /// can start arriving one latency after the request, and they occupy the shared pipe for
    /// bytes ÷ bandwidth once it is free, so concurrent transfers queue for the bandwidth while
    /// their latencies overlap. Waiting once for an absolute deadline keeps timer slack from
    /// adding up request after request.
    /// </summary>
    private async ValueTask TravelAsync(long bytes, CancellationToken ct)
    {
        long now = _time.GetTimestamp();
        long arrive = now + (long)(link.Latency.TotalSeconds * _time.TimestampFrequency);
        if (link.BandwidthBytesPerSecond is { } bandwidth && bytes > 0)
        {
            long transferTicks = (long)((double)bytes / bandwidth * _time.TimestampFrequency);
            lock (_linkLock)
            {
                _linkFreeAt = Math.Max(_linkFreeAt, arrive) + transferTicks;
                arrive = _linkFreeAt;
            }
        }
        await WaitUntilAsync(now, arrive, ct).ConfigureAwait(false);
    }

    /// <summary>Charges an upload whose size is known only after it was taken (no latency: that was paid before).</summary>
    private async ValueTask TransferAsync(long bytes, CancellationToken ct)
    {
        if (link.BandwidthBytesPerSecond is not { } bandwidth || bytes == 0) return;
        long now = _time.GetTimestamp();
        long transferTicks = (long)((double)bytes / bandwidth * _time.TimestampFrequency);
        long doneAt;
        lock (_linkLock)
        {
            _linkFreeAt = Math.Max(_linkFreeAt, now) + transferTicks;
            doneAt = _linkFreeAt;
        }
        await WaitUntilAsync(now, doneAt, ct).ConfigureAwait(false);
    }

    private async ValueTask WaitUntilAsync(long now, long deadline, CancellationToken ct)
    {
        var wait = _time.GetElapsedTime(now, deadline);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
    }

    private void Completed(string operation, string key, long offset, long bytes)
    {
        Interlocked.Increment(ref _requests);
        long seq = Interlocked.Increment(ref _sequence);
        RequestCompleted?.Invoke(new RemoteRequest(seq, operation, key, offset, bytes));
    }
}
