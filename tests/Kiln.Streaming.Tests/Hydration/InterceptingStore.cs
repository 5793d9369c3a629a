using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Hydration;

/// <summary>
/// A fake at the network boundary: passes everything to a real store, but can hold pack reads
/// at a gate (to observe what happens while the stream is stalled) and corrupt the first read
/// of chosen keys (a transient bit flip on the wire).
/// </summary>
public sealed class InterceptingStore(IRegionStore inner) : IRegionStore
{
    private readonly TaskCompletionSource _packGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _corruptOnce = [];
    private int _packReadsWaiting;
    private bool _gated;

    public string Name => inner.Name;
    public int PackReadsWaiting => Volatile.Read(ref _packReadsWaiting);
    public List<string> ReadKeys { get; } = [];

    public void HoldPackReads() => _gated = true;
    public void ReleasePackReads() => _packGate.TrySetResult();
    public void CorruptFirstReadOf(string key) { lock (_corruptOnce) _corruptOnce.Add(key); }

    public async ValueTask<int> ReadAsync(string key, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        lock (ReadKeys) ReadKeys.Add(key);
        if (_gated && key.StartsWith(RegionKeys.PackPrefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _packReadsWaiting);
            await _packGate.Task.WaitAsync(ct);
            Interlocked.Decrement(ref _packReadsWaiting);
        }
        int n = await inner.ReadAsync(key, offset, buffer, ct);
        bool corrupt;
        lock (_corruptOnce) corrupt = _corruptOnce.Remove(key);
        if (corrupt && n > 0) buffer.Span[n / 2] ^= 0x80;
        return n;
    }

    public ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default) => inner.ExistsAsync(key, ct);
    public ValueTask<long?> GetLengthAsync(string key, CancellationToken ct = default) => inner.GetLengthAsync(key, ct);
    public ValueTask PutAsync(string key, Stream content, CancellationToken ct = default) => inner.PutAsync(key, content, ct);
    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
    public ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);
    public IAsyncEnumerable<RegionObject> ListObjectsAsync(string prefix, CancellationToken ct = default) => inner.ListObjectsAsync(prefix, ct);
    public ValueTask<bool> TouchAsync(string key, CancellationToken ct = default) => inner.TouchAsync(key, ct);
    public ValueTask<bool> DeleteIfUnmodifiedSinceAsync(string key, DateTimeOffset cutoff, CancellationToken ct = default) =>
        inner.DeleteIfUnmodifiedSinceAsync(key, cutoff, ct);
}
