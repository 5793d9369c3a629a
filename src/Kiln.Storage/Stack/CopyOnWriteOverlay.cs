using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Lets a guest write to a disk whose image must never change: writes land in an overlay
/// device, a written-bitmap (one bit per <see cref="Granularity"/> bytes) remembers which
/// blocks the overlay holds, and reads merge overlay and base. The base is never written.
/// <code>
///   block:    0    1    2    3
///   bitmap:   0    1    0    1      read [0, 4) = base[0] overlay[1] base[2] overlay[3]
/// </code>
/// A write that covers part of an unwritten block first copies that block from the base
/// (read-modify-write), so the overlay always holds whole blocks.
/// </summary>
public sealed class CopyOnWriteOverlay : BlockFilter
{
    private readonly IBlockDevice _overlay;
    private readonly bool _ownsOverlay;
    private readonly SparseBitmap _written;
    private readonly Lock _bitmapLock = new();
    // Writes are serialized so two partial writes to one block cannot both copy it from the base.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <param name="baseDevice">The image; only ever read.</param>
    /// <param name="overlay">Where writes go (at least as long as the base); null for a sparse in-memory device.</param>
    /// <param name="granularity">Bytes per bitmap bit, a power of two (default 4 KiB, a guest page).</param>
    public CopyOnWriteOverlay(IBlockDevice baseDevice, IBlockDevice? overlay = null, int granularity = 4096,
        bool ownsBase = true, bool ownsOverlay = true) : base(baseDevice, ownsBase)
    {
        if (granularity < 512 || (granularity & (granularity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "must be a power of two of at least 512 bytes");
        _overlay = overlay ?? new MemoryBlockDevice(baseDevice.Length);
        _ownsOverlay = overlay is null || ownsOverlay;
        if (_overlay.Length < baseDevice.Length)
            throw new ArgumentException($"overlay is {_overlay.Length} bytes, smaller than the base ({baseDevice.Length} bytes)", nameof(overlay));
        if (!_overlay.CanWrite)
            throw new ArgumentException("overlay device is read-only", nameof(overlay));
        Granularity = granularity;
        _written = new SparseBitmap((baseDevice.Length + granularity - 1) / granularity);
    }

    public int Granularity { get; }

    public override bool CanWrite => true;

    /// <summary>Blocks the overlay holds (each <see cref="Granularity"/> bytes).</summary>
    public long WrittenBlocks { get { lock (_bitmapLock) return _written.SetCount; } }

    public bool IsWritten(long offset)
    {
        lock (_bitmapLock) return _written.Get(offset / Granularity);
    }

    public override async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, nameof(CopyOnWriteOverlay));
        int done = 0;
        while (done < buffer.Length)
        {
            // One run of blocks that all come from the same side.
            long pos = offset + done;
            bool fromOverlay = IsWritten(pos);
            int n = 0;
            while (done + n < buffer.Length)
            {
                long p = pos + n;
                if (n > 0 && IsWritten(p) != fromOverlay) break;
                long blockEnd = (p / Granularity + 1) * Granularity;
                n += (int)Math.Min(blockEnd - p, buffer.Length - done - n);
            }
            var slice = buffer.Slice(done, n);
            if (fromOverlay) await _overlay.ReadAsync(pos, slice, ct).ConfigureAwait(false);
            else await Next.ReadAsync(pos, slice, ct).ConfigureAwait(false);
            done += n;
        }
    }

    public override async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        this.CheckRange(offset, data.Length, nameof(CopyOnWriteOverlay));
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            int done = 0;
            byte[]? blockBuffer = null;
            while (done < data.Length)
            {
                long pos = offset + done;
                long block = pos / Granularity;
                long blockStart = block * Granularity;
                int blockLen = (int)Math.Min(Granularity, Length - blockStart);
                int inBlock = (int)(pos - blockStart);
                int n = Math.Min(blockLen - inBlock, data.Length - done);
                var chunk = data.Slice(done, n);
                if (n == blockLen || IsWritten(pos))
                {
                    await _overlay.WriteAsync(pos, chunk, ct).ConfigureAwait(false);
                }
                else
                {
                    blockBuffer ??= new byte[Granularity];
                    var whole = blockBuffer.AsMemory(0, blockLen);
                    await Next.ReadAsync(blockStart, whole, ct).ConfigureAwait(false);
                    chunk.CopyTo(whole[inBlock..]);
                    await _overlay.WriteAsync(blockStart, whole, ct).ConfigureAwait(false);
                }
                // Only after the overlay holds the block may readers be sent there.
                lock (_bitmapLock) _written.Set(block);
                done += n;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override ValueTask FlushAsync(CancellationToken ct = default) => _overlay.FlushAsync(ct);

    // The base may not be trimmed and the overlay keeps whole blocks: a trim is a no-op, which
    // the contract allows (reads then return the old data).
    public override ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
    {
        this.CheckRange(offset, length, nameof(CopyOnWriteOverlay));
        return ValueTask.CompletedTask;
    }

    public override async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var all = new List<Extent>();
        await foreach (var e in Next.GetAllocatedExtentsAsync(ct).ConfigureAwait(false)) all.Add(e);
        lock (_bitmapLock)
        {
            foreach (var (first, count) in _written.SetRuns())
            {
                long start = first * Granularity;
                all.Add(new Extent(start, Math.Min(count * Granularity, Length - start)));
            }
        }
        Extent? current = null;
        foreach (var e in all.OrderBy(e => e.Offset))
        {
            if (current is { } c && e.Offset <= c.End)
                current = c with { Length = Math.Max(c.End, e.End) - c.Offset };
            else
            {
                if (current is { } done) yield return done;
                current = e;
            }
        }
        if (current is { } last) yield return last;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_ownsOverlay) await _overlay.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
