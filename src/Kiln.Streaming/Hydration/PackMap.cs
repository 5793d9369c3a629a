using Kiln.Streaming.Images;

namespace Kiln.Streaming.Hydration;

/// <summary>
/// The boot pack's index turned around for the read path: pack extents cut at segment
/// boundaries into pieces, sorted by image offset, so "which segments carry this image range,
/// and does the pack cover all of it?" is a binary search.
/// </summary>
internal sealed class PackMap
{
    /// <summary>A run of image bytes that arrives with one segment.</summary>
    public readonly record struct Piece(long ImageOffset, long Length, long PackOffset, int Segment);

    private readonly Piece[] _byImage;

    public PackMap(BootPackIndex pack)
    {
        Pack = pack;
        var bySegment = new List<Piece>[pack.SegmentCount];
        for (int i = 0; i < bySegment.Length; i++) bySegment[i] = [];
        var all = new List<Piece>();
        foreach (var e in pack.Extents)
        {
            long packOffset = e[0], imageOffset = e[1], remaining = e[2];
            while (remaining > 0)
            {
                int segment = (int)(packOffset / pack.SegmentSize);
                long n = Math.Min(remaining, (long)(segment + 1) * pack.SegmentSize - packOffset);
                var piece = new Piece(imageOffset, n, packOffset, segment);
                bySegment[segment].Add(piece);
                all.Add(piece);
                packOffset += n;
                imageOffset += n;
                remaining -= n;
            }
        }
        _byImage = all.OrderBy(p => p.ImageOffset).ToArray();
        BySegment = bySegment;
    }

    public BootPackIndex Pack { get; }

    /// <summary>Pieces per segment, in pack order.</summary>
    public IReadOnlyList<Piece>[] BySegment { get; }

    /// <summary>
    /// Adds to <paramref name="segments"/> the segments carrying bytes of [offset, offset + length)
    /// and returns true when the pack covers every byte of it.
    /// </summary>
    public bool Covers(long offset, long length, List<int> segments)
    {
        long end = offset + length, pos = offset;
        int lo = 0, hi = _byImage.Length - 1, start = _byImage.Length;
        while (lo <= hi) // first piece whose end is past offset
        {
            int mid = (lo + hi) >>> 1;
            if (_byImage[mid].ImageOffset + _byImage[mid].Length > offset) { start = mid; hi = mid - 1; }
            else lo = mid + 1;
        }
        for (int i = start; i < _byImage.Length && pos < end; i++)
        {
            var p = _byImage[i];
            if (p.ImageOffset > pos) return false; // a gap the pack does not hold
            if (!segments.Contains(p.Segment)) segments.Add(p.Segment);
            pos = p.ImageOffset + p.Length;
        }
        return pos >= end;
    }
}
