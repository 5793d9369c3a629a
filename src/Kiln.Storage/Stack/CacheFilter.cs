using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// A read cache of aligned blocks (default 64 KiB) bounded by a byte budget with LRU eviction
/// (or unbounded). Concurrent misses on one block share a single read of the device below, and
/// consecutive missing blocks of one request are fetched with a single read.
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
    /// <summary>Blocks found in the cache (including joins onto a load in flight).</summary>
    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Blocks read from the device below.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public override async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, nameof(CacheFilter));
        if (buffer.Length == 0) return;
        long first = offset / CacheBlockSize, last = (offset + buffer.Length - 1) / CacheBlockSize;
        var entries = new Entry[last - first + 1];
        var mine = new bool[entries.Length];
        lock (_lock)
        {
            for (int i = 0; i < entries.Length; i++)
            {
                if (_entries.TryGetValue(first + i, out var found))
                {
                    entries[i] = found;
                    if (found.Node is { } node)
                    {
                        _lru.Remove(node);
                        _lru.AddFirst(node);
                    }
                }
                else
                {
                    entries[i] = _entries[first + i] = new Entry(first + i);
                    mine[i] = true;
                }
            }
        }
        int claimed = mine.Count(m => m);
        Interlocked.Add(ref _misses, claimed);
        Interlocked.Add(ref _hits, entries.Length - claimed);

        // Blocks this call claimed are loaded with one read per run of consecutive misses, so a
        // large cold read reaches the device as one large read instead of many small ones.
        for (int i = 0; i < entries.Length; i++)
        {
            if (!mine[i]) continue;
            int j = i;
            while (j + 1 < entries.Length && mine[j + 1]) j++;
            try
            {
                await LoadRunAsync(entries.AsMemory(i, j - i + 1)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Later runs claimed by this call will not be loaded now: release their waiters too.
                for (int k = j + 1; k < entries.Length; k++)
                    if (mine[k]) Abandon(entries[k], ex);
                throw;
            }
            i = j;
        }

        int done = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            var block = entries[i].Data ?? await entries[i].Load.Task.WaitAsync(ct).ConfigureAwait(false);
            long pos = offset + done;
            int inBlock = (int)(pos - (first + i) * CacheBlockSize);
            int n = Math.Min(block.Length - inBlock, buffer.Length - done);
            block.AsMemory(inBlock, n).CopyTo(buffer[done..]);
            done += n;
        }
    }

    /// <summary>Reads consecutive claimed blocks in one request and publishes each (or fails each, so no waiter hangs).</summary>
    private async Task LoadRunAsync(ReadOnlyMemory<Entry> run)
    {
        long start = run.Span[0].Index * CacheBlockSize;
        long end = Math.Min((run.Span[^1].Index + 1) * CacheBlockSize, Length);
        byte[] data;
        try
        {
            data = new byte[end - start];
            // Not cancelled by this caller's token: other readers may be waiting for these blocks.
            await Next.ReadAsync(start, data, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var entry in run.Span) Abandon(entry, ex);
            throw;
        }
        var blocks = new byte[run.Length][];
        for (int k = 0; k < run.Length; k++)
        {
            long blockStart = run.Span[k].Index * CacheBlockSize;
            blocks[k] = data.AsSpan((int)(blockStart - start), (int)Math.Min(CacheBlockSize, end - blockStart)).ToArray();
        }
        lock (_lock)
        {
            for (int k = 0; k < run.Length; k++)
            {
                var entry = run.Span[k];
                // A write or trim may have dropped this entry while it loaded; then it must not be cached.
                if (_entries.TryGetValue(entry.Index, out var current) && current == entry)
                {
                    entry.Data = blocks[k];
                    entry.Node = _lru.AddFirst(entry);
                    _cachedBytes += blocks[k].Length;
                }
            }
            EvictOverBudget();
        }
        for (int k = 0; k < run.Length; k++) run.Span[k].Load.SetResult(blocks[k]);
    }

    private void Abandon(Entry entry, Exception ex)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(entry.Index, out var current) && current == entry) _entries.Remove(entry.Index);
        }
        entry.Load.TrySetException(ex);
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
