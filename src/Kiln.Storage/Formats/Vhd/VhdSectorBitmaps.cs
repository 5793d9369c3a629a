using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// The sector bitmaps in front of each dynamic VHD block (VHD Image Format Specification,
/// "Block Allocation Table and Data Blocks"): one bit per sector, most significant bit first,
/// padded to a whole sector. Full bitmaps (what qemu and Kiln write) are remembered as one bit
/// of state; partial ones are cached up to a bound so a huge disk cannot exhaust memory.
/// </summary>
internal sealed class VhdSectorBitmaps(ImageFile file, int blockSize)
{
    private const int MaxCachedPartial = 16384; // 8 MiB of 512-byte bitmaps
    private readonly Dictionary<uint, byte[]?> _cache = new();
    private readonly Lock _lock = new();
    private readonly int _sectors = blockSize / 512;

    public int BitmapBytes { get; } = BitmapBytesFor(blockSize);

    public static int BitmapBytesFor(int blockSize) => (blockSize / 512 / 8 + 511) / 512 * 512;

    public static byte[] Full(int bytes)
    {
        var b = new byte[bytes];
        b.AsSpan().Fill(0xFF);
        return b;
    }

    public static bool IsSet(byte[] bitmap, int sector) => (bitmap[sector >> 3] & (0x80 >> (sector & 7))) != 0;

    /// <summary>The bitmap of the block at BAT entry <paramref name="entry"/>, or null when every sector of the block is written.</summary>
    public async ValueTask<byte[]?> GetAsync(uint entry, CancellationToken ct)
    {
        lock (_lock)
            if (_cache.TryGetValue(entry, out var cached)) return cached;
        var raw = new byte[BitmapBytes];
        await file.ReadExactAsync((long)entry * 512, raw, ct).ConfigureAwait(false);
        bool full = true;
        for (int s = 0; s < _sectors && full; s++) full = IsSet(raw, s);
        var result = full ? null : raw;
        lock (_lock)
        {
            if (result is not null && _cache.Count >= MaxCachedPartial) _cache.Clear();
            _cache[entry] = result;
        }
        return result;
    }

    public void MarkFull(uint entry)
    {
        lock (_lock) _cache[entry] = null;
    }

    /// <summary>Runs of written sectors, in sectors, within a block of <paramref name="sectors"/> sectors (a null bitmap is one full run).</summary>
    public static IEnumerable<Extent> SetRuns(byte[]? bitmap, int sectors)
    {
        if (bitmap is null)
        {
            yield return new Extent(0, sectors);
            yield break;
        }
        int s = 0;
        while (s < sectors)
        {
            while (s < sectors && !IsSet(bitmap, s)) s++;
            int start = s;
            while (s < sectors && IsSet(bitmap, s)) s++;
            if (s > start) yield return new Extent(start, s - start);
        }
    }
}
