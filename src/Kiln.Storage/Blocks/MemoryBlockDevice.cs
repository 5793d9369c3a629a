namespace Kiln.Storage.Blocks;

/// <summary>
/// A sparse in-memory device (64 KiB pages allocated on first write), for tests and small
/// overlays. Thread-safe for concurrent requests.
/// </summary>
public sealed class MemoryBlockDevice : IBlockDevice
{
    private const int PageSize = 64 * 1024;
    private readonly Dictionary<long, byte[]> _pages = new();
    private readonly Lock _lock = new();

    public MemoryBlockDevice(long length, bool canWrite = true, int blockSize = 512)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        CanWrite = canWrite;
        BlockSize = blockSize;
    }

    /// <summary>Creates a writable device holding a copy of <paramref name="content"/>.</summary>
    public static MemoryBlockDevice FromBytes(ReadOnlySpan<byte> content, int blockSize = 512)
    {
        var device = new MemoryBlockDevice(content.Length, true, blockSize);
        device.WriteCore(0, content);
        return device;
    }

    public long Length { get; }
    public bool CanWrite { get; }
    public int BlockSize { get; }

    public ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, nameof(MemoryBlockDevice));
        var span = buffer.Span;
        lock (_lock)
        {
            int done = 0;
            while (done < span.Length)
            {
                long pos = offset + done;
                long page = pos / PageSize;
                int inPage = (int)(pos % PageSize);
                int n = Math.Min(PageSize - inPage, span.Length - done);
                if (_pages.TryGetValue(page, out var data))
                    data.AsSpan(inPage, n).CopyTo(span.Slice(done, n));
                else
                    span.Slice(done, n).Clear();
                done += n;
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (!CanWrite) throw new BlockDeviceReadOnlyException(nameof(MemoryBlockDevice));
        this.CheckRange(offset, data.Length, nameof(MemoryBlockDevice));
        WriteCore(offset, data.Span);
        return ValueTask.CompletedTask;
    }

    private void WriteCore(long offset, ReadOnlySpan<byte> span)
    {
        lock (_lock)
        {
            int done = 0;
            while (done < span.Length)
            {
                long pos = offset + done;
                long page = pos / PageSize;
                int inPage = (int)(pos % PageSize);
                int n = Math.Min(PageSize - inPage, span.Length - done);
                if (!_pages.TryGetValue(page, out var data))
                {
                    if (span.Slice(done, n).IndexOfAnyExcept((byte)0) < 0) { done += n; continue; }
                    data = new byte[PageSize];
                    _pages[page] = data;
                }
                span.Slice(done, n).CopyTo(data.AsSpan(inPage, n));
                done += n;
            }
        }
    }

    public ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;

    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
    {
        this.CheckRange(offset, length, nameof(MemoryBlockDevice));
        lock (_lock)
        {
            // Drop only whole pages inside the range; partial pages keep their data (allowed by the contract).
            long first = (offset + PageSize - 1) / PageSize, last = (offset + length) / PageSize;
            for (long p = first; p < last; p++) _pages.Remove(p);
        }
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        long[] pages;
        lock (_lock) pages = _pages.Keys.Order().ToArray();
        Extent? current = null;
        foreach (var p in pages)
        {
            var e = new Extent(p * PageSize, Math.Min(PageSize, Length - p * PageSize));
            if (current is { } c && c.End == e.Offset) current = c with { Length = c.Length + e.Length };
            else
            {
                if (current is { } done) yield return done;
                current = e;
            }
        }
        if (current is { } last) yield return last;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
