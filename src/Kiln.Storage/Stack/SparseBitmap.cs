namespace Kiln.Storage.Stack;

/// <summary>
/// A bitmap over up to 2^40 bits whose pages (262,144 bits = 32 KiB) are allocated on first
/// set, so a 2 TB disk at 4 KiB granularity costs memory only where the guest wrote.
/// Not thread-safe; callers lock.
/// </summary>
internal sealed class SparseBitmap(long bitCount)
{
    private const int WordsPerPage = 4096;
    private const int BitsPerPage = WordsPerPage * 64;
    private readonly Dictionary<long, ulong[]> _pages = new();

    public long BitCount { get; } = bitCount;
    public long SetCount { get; private set; }

    public bool Get(long bit)
    {
        if (!_pages.TryGetValue(bit / BitsPerPage, out var page)) return false;
        int inPage = (int)(bit % BitsPerPage);
        return (page[inPage >> 6] & (1UL << (inPage & 63))) != 0;
    }

    public void Set(long bit)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bit, BitCount);
        long p = bit / BitsPerPage;
        if (!_pages.TryGetValue(p, out var page)) _pages[p] = page = new ulong[WordsPerPage];
        int inPage = (int)(bit % BitsPerPage);
        ulong mask = 1UL << (inPage & 63);
        if ((page[inPage >> 6] & mask) == 0)
        {
            page[inPage >> 6] |= mask;
            SetCount++;
        }
    }

    /// <summary>Runs of set bits, ascending, as (first bit, count).</summary>
    public IEnumerable<(long First, long Count)> SetRuns()
    {
        long runStart = -1, runEnd = -1;
        foreach (var p in _pages.Keys.Order())
        {
            var page = _pages[p];
            for (int w = 0; w < WordsPerPage; w++)
            {
                if (page[w] == 0) continue;
                for (int b = 0; b < 64; b++)
                {
                    if ((page[w] & (1UL << b)) == 0) continue;
                    long bit = p * BitsPerPage + w * 64L + b;
                    if (bit == runEnd) { runEnd++; continue; }
                    if (runStart >= 0) yield return (runStart, runEnd - runStart);
                    runStart = bit;
                    runEnd = bit + 1;
                }
            }
        }
        if (runStart >= 0) yield return (runStart, runEnd - runStart);
    }
}
