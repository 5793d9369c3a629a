using Kiln.Storage.Blocks;

namespace Kiln.Optimization.Profiles;

/// <summary>
/// A set of byte ranges kept sorted and merged, answering "which parts of this range are not
/// in the set yet" — the question the profile builder asks once per traced read.
/// </summary>
internal sealed class ExtentSet
{
    // Sorted by offset, never overlapping or touching (touching ranges are merged on insert).
    private readonly List<Extent> _ranges = new();

    public long TotalBytes { get; private set; }

    /// <summary>Adds [offset, offset+length) and returns the sub-ranges that were not present before, in ascending order.</summary>
    public List<Extent> AddAndReturnNew(long offset, long length)
    {
        var added = new List<Extent>();
        if (length <= 0) return added;
        long end = offset + length;

        // First range that ends at or after `offset` (could touch or overlap).
        int i = FirstEndingAtOrAfter(offset);
        long cursor = offset;
        int j = i;
        while (j < _ranges.Count && _ranges[j].Offset <= end)
        {
            var r = _ranges[j];
            if (r.Offset > cursor) added.Add(new Extent(cursor, r.Offset - cursor));
            cursor = Math.Max(cursor, r.End);
            j++;
        }
        if (cursor < end) added.Add(new Extent(cursor, end - cursor));

        // Replace ranges [i, j) with their union with the new range.
        long mergedStart = offset, mergedEnd = end;
        if (i < j)
        {
            mergedStart = Math.Min(mergedStart, _ranges[i].Offset);
            mergedEnd = Math.Max(mergedEnd, _ranges[j - 1].End);
        }
        _ranges.RemoveRange(i, j - i);
        _ranges.Insert(i, new Extent(mergedStart, mergedEnd - mergedStart));
        foreach (var a in added) TotalBytes += a.Length;
        return added;
    }

    private int FirstEndingAtOrAfter(long offset)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_ranges[mid].End < offset) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
