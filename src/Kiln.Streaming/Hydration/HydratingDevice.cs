using System.Runtime.CompilerServices;
using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Streaming.Hydration;

/// <summary>
/// A read-only disk streamed from a region store: reads are served from a local sparse cache
/// file, and what is missing is fetched, verified (sha256) and cached first. The guest's writes
/// belong to a copy-on-write overlay stacked above (this device refuses them).
/// <para>
/// Two sources fill the cache, with presence tracked per 4 KiB block (the bitmap persisted
/// beside the cache file, see <see cref="PresenceMap"/>):
/// </para>
/// <code>
///  image:  | chunk 0      | chunk 1      | chunk 2      | chunk 3      |   chunks: 1 MiB, one sha256 each
///          |  [a]         |     [c]      |              | [b]          |   boot extents, first touch a, b, c
///
///  pack:   [a][b][c][d]…[x][y][z]…                                        one object, first-touch order
///          |<-- segment 0 (4 MiB) -->|<-- segment 1 -->| …               one sha256 per segment
///
///  prefetch: segment 0, 1, 2 in flight ──► verify ──► write a, b, c … to their image offsets,
///            mark their 4 KiB blocks present (boot extents are rounded to 4 KiB when packed)
///  demand:   read(x) → blocks present?                yes → cache file
///                      in a segment already in flight? yes → wait for it (no extra request)
///                      otherwise                        → GET chunk(x) now, verify, cache, serve
/// </code>
/// <para>
/// Why sub-chunk presence instead of "fetch whole chunks covering the pack": boot extents are
/// small and scattered (Gen2: 114 MiB in ~344 extents over a 2 GiB disk), so whole chunks would
/// drag in several times the working set; per-block presence lets the pack carry exactly the
/// working set, so a cold optimized boot costs about workingSet ÷ 4 MiB sequential requests,
/// plus one chunk request per read the profile missed. Demand fetches use whole chunks because
/// the chunk is the unit the store can verify.
/// </para>
/// <para>
/// Pre-emption: demand fetches have their own slots (<see cref="HydratingDeviceOptions.MaxDemandFetches"/>),
/// separate from the prefetch's few in-flight segments, so a read beyond the stream's head is
/// fetched at once instead of queueing behind the pack. Concurrent reads of one chunk share a
/// single request. Corrupted data is never served: a mismatch is refetched once, then the read
/// fails with <see cref="ChunkVerificationException"/>. A failed pack segment only stops the
/// stream from helping; reads fall back to chunks.
/// </para>
/// </summary>
public sealed partial class HydratingDevice : IBlockDevice
{
    /// <summary>Presence granularity in bytes: the smallest unit the cache tracks.</summary>
    public const int PresenceBlockSize = PresenceMap.BlockSize;

    private readonly ImageManifest _manifest;
    private readonly IRegionStore _region;
    private readonly HydratingDeviceOptions _options;
    private readonly string _presencePath;
    private readonly string _contentId;
    private readonly string _name;
    private readonly SafeFileHandle _cache;
    private readonly PresenceMap _presence;
    private readonly PackMap? _pack;
    private readonly HydrationCounters _counters;
    private readonly SemaphoreSlim _demandSlots;
    private readonly BackgroundLane _lane;
    private readonly CancellationTokenSource _life = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Task> _chunkFetches = new();
    private readonly Task?[] _segmentTasks; // null until the prefetch requests (or skips) the segment
    private Task? _prefetch;
    private volatile bool _prefetchStarted;
    private int _disposed;

    private HydratingDevice(ImageManifest manifest, IRegionStore region, string cachePath, HydratingDeviceOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDemandFetches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PrefetchDepth, 1);
        _manifest = manifest;
        _region = region;
        _options = options;
        CachePath = Path.GetFullPath(cachePath);
        _presencePath = CachePath + ".present";
        _contentId = manifest.ComputeContentId();
        _name = $"hydrating device (region '{region.Name}', cache {CachePath})";
        // A saved map is only as good as the file it describes: a missing or resized cache file voids it.
        var existing = new FileInfo(CachePath);
        _presence = existing.Exists && existing.Length == manifest.ImageSize
            ? PresenceMap.Load(_presencePath, manifest.ImageSize, _contentId)
            : new PresenceMap(manifest.ImageSize);
        _cache = File.OpenHandle(CachePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, FileOptions.Asynchronous);
        if (_presence.PresentBlocks == 0) RandomAccess.SetLength(_cache, 0); // another version's leftovers: drop them
        RandomAccess.SetLength(_cache, manifest.ImageSize);
        _pack = manifest.BootPack is { } pack ? new PackMap(pack) : null;
        _segmentTasks = new Task?[_pack?.Pack.SegmentCount ?? 0];
        _counters = new HydrationCounters(options.TimeProvider);
        _demandSlots = new SemaphoreSlim(options.MaxDemandFetches);
        _lane = new BackgroundLane("kiln-prefetch-verify");
    }

    /// <summary>Opens a version by name from <paramref name="region"/>, with its cache at <paramref name="cachePath"/> (created if missing, reused if it holds this version).</summary>
    public static async Task<HydratingDevice> OpenAsync(IRegionStore region, string manifestName, string cachePath, HydratingDeviceOptions? options = null, CancellationToken ct = default)
    {
        var manifest = await ImageManifest.ReadAsync(region, manifestName, ct).ConfigureAwait(false);
        return Open(manifest, region, cachePath, options);
    }

    public static HydratingDevice Open(ImageManifest manifest, IRegionStore region, string cachePath, HydratingDeviceOptions? options = null)
    {
        manifest.Validate("(given)");
        return new HydratingDevice(manifest, region, cachePath, options ?? HydratingDeviceOptions.Default);
    }

    public ImageManifest Manifest => _manifest;
    public IRegionStore Region => _region;
    public string CachePath { get; }
    public bool HasBootPack => _pack is not null;

    public long Length => _manifest.ImageSize;
    public bool CanWrite => false;
    public int BlockSize => PresenceBlockSize;

    public HydrationStats GetStats() => _counters.Snapshot(_segmentTasks.Length, _presence.PresentBlocks);

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        this.CheckRange(offset, buffer.Length, _name);
        Interlocked.Increment(ref _counters.Reads);
        long end = offset + buffer.Length;

        List<Task>? waits = null;
        for (long pos = offset; pos < end;)
        {
            int chunk = (int)(pos / _manifest.ChunkSize);
            long pieceEnd = Math.Min(end, _manifest.ChunkExtent(chunk).End);
            if (_manifest.Chunks[chunk] is null)
                buffer.Span[(int)(pos - offset)..(int)(pieceEnd - offset)].Clear();
            else if (_presence.AllPresent(pos, pieceEnd - pos))
                Interlocked.Increment(ref _counters.CacheHits);
            else
                (waits ??= []).Add(EnsurePresentAsync(chunk, pos, pieceEnd - pos, ct));
            pos = pieceEnd;
        }
        if (waits is not null) await Task.WhenAll(waits).ConfigureAwait(false);

        // Everything non-zero is now in the cache file; read it in runs of stored chunks.
        for (long pos = offset; pos < end;)
        {
            int chunk = (int)(pos / _manifest.ChunkSize);
            long runEnd = Math.Min(end, _manifest.ChunkExtent(chunk).End);
            if (_manifest.Chunks[chunk] is null) { pos = runEnd; continue; }
            while (runEnd < end && _manifest.Chunks[(int)(runEnd / _manifest.ChunkSize)] is not null)
                runEnd = Math.Min(end, _manifest.ChunkExtent((int)(runEnd / _manifest.ChunkSize)).End);
            ReadCache(pos, buffer.Span[(int)(pos - offset)..(int)(runEnd - offset)]);
            pos = runEnd;
        }
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        => throw new BlockDeviceReadOnlyException(_name);

    /// <summary>
    /// Nothing to make durable: the device takes no writes (the overlay above does). The cache's
    /// state is saved on dispose, or at a chosen moment with <see cref="CheckpointAsync"/>; doing
    /// it on every guest flush would put an fsync of the cache file in the boot's path.
    /// </summary>
    public ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;

    /// <summary>Flushes the cache file, then saves the presence map beside it, so a later open of the same version reuses what was fetched.</summary>
    public async Task CheckpointAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await PersistAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Read-only: nothing to deallocate.</summary>
    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default) => ValueTask.CompletedTask;

    /// <summary>The stored (non-zero) chunks, merged; all-zero chunks read as zeros.</summary>
    public async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        Extent? current = null;
        for (int i = 0; i < _manifest.ChunkCount; i++)
        {
            if (_manifest.Chunks[i] is null) continue;
            var e = _manifest.ChunkExtent(i);
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

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _life.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_lock) pending = [.. _chunkFetches.Values, _prefetch ?? Task.CompletedTask];
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Fetches cut short by the shutdown; their callers have seen the outcome.
        }
        _lane.Dispose(); // after the fetches: nothing is queued any more
        await PersistAsync(CancellationToken.None).ConfigureAwait(false);
        _cache.Dispose();
        _life.Dispose();
        _demandSlots.Dispose();
    }

    private async Task PersistAsync(CancellationToken ct)
    {
        RandomAccess.FlushToDisk(_cache);
        await _presence.SaveAsync(_presencePath, _contentId, ct).ConfigureAwait(false);
    }

    // Synchronous: Linux has no asynchronous file I/O in .NET (RandomAccess.ReadAsync hops to a pool
    // thread), and a cache hit served at once lets the NBD server answer the guest inline.
    private void ReadCache(long offset, Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(_cache, buffer[done..], offset + done);
            if (n == 0) throw new BlockDeviceException($"{_name}: cache file ends at {offset + done}, expected {Length} bytes (was it truncated?).");
            done += n;
        }
    }

    private ValueTask WriteCacheAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct)
        => RandomAccess.WriteAsync(_cache, data, offset, ct);

    private void WriteCache(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(_cache, data, offset);

    public override string ToString() => _name;
}
