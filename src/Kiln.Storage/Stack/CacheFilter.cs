using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// A read cache of aligned blocks (default 64 KiB) bounded by a byte budget with LRU eviction
/// (or unbounded). Concurrent misses on one block share a single read of the device below.
/// Writes and trims go through to the device and drop the cached blocks they touch.
/// </summary>
public sealed class CacheFilter : BlockFilter
{
    private sealed class Entry(long index)
    {
        public long Index { get; } = index;
        public TaskCompletionSource<byte[]> Load { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public byte[]? Data { get; set; }
        public LinkedListNode<Entry>? Node { get; set; }
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<long, Entry> _entries = new();
    private readonly LinkedList<Entry> _lru = new(); // most recently used first
    private long _cachedBytes, _hits, _misses;

    /// <param name="blockSize">Cache line size, a power of two of at least 512 bytes.</param>
    /// <param name="capacityBytes">Byte budget (LRU beyond it); null for unbounded.</param>
    public CacheFilter(IBlockDevice next, int blockSize = 64 * 1024, long? capacityBytes = 256L << 20, bool ownsNext = true)
        : base(next, ownsNext)
    {
        if (blockSize < 512 || (blockSize & (blockSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "must be a power of two of at least 512 bytes");
        if (capacityBytes is < 0) throw new ArgumentOutOfRangeException(nameof(capacityBytes), "must not be negative");
        CacheBlockSize = blockSize;
        CapacityBytes = capacityBytes;
    }

    public int CacheBlockSize { get; }
    public long? CapacityBytes { get; }
    public long CachedBytes { get { lock (_lock) return _cachedBytes; } }
    /// <summary>Block lookups served from the cache (including joins onto a load in flight).</summary>
    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Block lookups that read the device below.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public override async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, nameof(CacheFilter));
        int done = 0;
        while (done < buffer.Length)
        {
            long pos = offset + done;
            long index = pos / CacheBlockSize;
            int inBlock = (int)(pos - index * CacheBlockSize);
            var block = await GetBlockAsync(index, ct).ConfigureAwait(false);
            int n = Math.Min(block.Length - inBlock, buffer.Length - done);
            block.AsMemory(inBlock, n).CopyTo(buffer[done..]);
            done += n;
        }
    }

    private async ValueTask<byte[]> GetBlockAsync(long index, CancellationToken ct)
    {
        Entry entry;
        bool mustLoad = false;
        lock (_lock)
        {
            if (_entries.TryGetValue(index, out var found))
            {
                entry = found;
                if (entry.Node is { } node)
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                }
            }
            else
            {
                entry = new Entry(index);
                _entries[index] = entry;
                mustLoad = true;
            }
        }
        if (!mustLoad)
        {
            Interlocked.Increment(ref _hits);
            return entry.Data ?? await entry.Load.Task.WaitAsync(ct).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _misses);
        try
        {
            long start = index * CacheBlockSize;
            var data = new byte[(int)Math.Min(CacheBlockSize, Length - start)];
            // Not cancelled by this caller's token: other readers may be waiting for the same block.
            await Next.ReadAsync(start, data, CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                // A write or trim may have dropped this entry while it loaded; then it must not be cached.
                if (_entries.TryGetValue(index, out var current) && current == entry)
                {
                    entry.Data = data;
                    entry.Node = _lru.AddFirst(entry);
                    _cachedBytes += data.Length;
                    EvictOverBudget();
                }
            }
            entry.Load.SetResult(data);
            return data;
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(index, out var current) && current == entry) _entries.Remove(index);
            }
            entry.Load.SetException(ex);
            throw;
        }
    }

    private void EvictOverBudget()
    {
        if (CapacityBytes is not { } budget) return;
        while (_cachedBytes > budget && _lru.Last is { } oldest)
            Drop(oldest.Value);
    }

    private void Drop(Entry entry)
    {
        _entries.Remove(entry.Index);
        if (entry.Node is { } node)
        {
            _lru.Remove(node);
            entry.Node = null;
            _cachedBytes -= entry.Data!.Length;
        }
    }

    private void Invalidate(long offset, long length)
    {
        if (length <= 0) return;
        long first = offset / CacheBlockSize, last = (offset + length - 1) / CacheBlockSize;
        lock (_lock)
        {
            if (last - first + 1 > _entries.Count)
            {
                foreach (var e in _entries.Values.Where(e => e.Index >= first && e.Index <= last).ToList()) Drop(e);
            }
            else
            {
                for (long i = first; i <= last; i++)
                    if (_entries.TryGetValue(i, out var e)) Drop(e);
            }
        }
    }

    public override async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await Next.WriteAsync(offset, data, ct).ConfigureAwait(false);
        // After the write: a load that started before it may hold old bytes; dropping now discards them.
        Invalidate(offset, data.Length);
    }

    public override async ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
    {
        await Next.TrimAsync(offset, length, ct).ConfigureAwait(false);
        Invalidate(offset, length);
    }
}
