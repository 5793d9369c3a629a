using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Images;

/// <summary>
/// Turns a boot profile's extents (first-touch order, any alignment) into the image ranges a
/// pack holds: each extent is rounded out to the alignment (so a reader can mark whole cache
/// blocks present), the parts already packed by an earlier extent are dropped (first touch
/// wins), and ranges that end up adjacent in both image and pack are merged.
/// <code>
///   profile:  [  e1  ]      [e2]  [ e3 overlapping e1 ]
///   rounded:  [|  e1  |]   [|e2|] [|e3 ...|]
///   packed:   [|  e1  |]   [|e2|]   ...  only the part of e3 not already in e1
/// </code>
/// </summary>
public static class BootPackLayout
{
    public static IReadOnlyList<Extent> Plan(IEnumerable<long[]> profileExtents, long imageSize, int alignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentException($"pack alignment {alignment} is not a power of two.", nameof(alignment));
        long blocks = (imageSize + alignment - 1) / alignment;
        var packed = new ulong[(blocks + 63) / 64]; // one bit per alignment block already in the pack
        var result = new List<Extent>();
        int index = 0;
        foreach (var pair in profileExtents)
        {
            if (pair is null || pair.Length != 2)
                throw new ArgumentException($"boot profile extents[{index}] is not an [offset, length] pair.", nameof(profileExtents));
            long offset = pair[0], length = pair[1];
            if (offset < 0 || length < 0 || offset > imageSize - length)
                throw new ArgumentException($"boot profile extents[{index}] [{offset}, +{length}) is outside the image ({imageSize} bytes).", nameof(profileExtents));
            index++;
            if (length == 0) continue;
            long first = offset / alignment, end = (offset + length + alignment - 1) / alignment;
            long runStart = -1;
            for (long b = first; b <= end; b++)
            {
                bool free = b < end && (packed[b >> 6] & (1UL << (int)(b & 63))) == 0;
                if (free)
                {
                    packed[b >> 6] |= 1UL << (int)(b & 63);
                    if (runStart < 0) runStart = b;
                }
                else if (runStart >= 0)
                {
                    Add(result, new Extent(runStart * alignment, Math.Min(b * alignment, imageSize) - runStart * alignment));
                    runStart = -1;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Drops the parts of a plan that lie in all-zero chunks: a reader serves those as zeros
    /// without any fetch, so packing them would only spend bandwidth (a boot that probes empty
    /// disk areas would otherwise fill the pack with zeros). Order is kept.
    /// </summary>
    public static IReadOnlyList<Extent> WithoutZeroChunks(IReadOnlyList<Extent> plan, IReadOnlyList<string?> chunks, int chunkSize)
    {
        var result = new List<Extent>(plan.Count);
        foreach (var e in plan)
        {
            for (long pos = e.Offset; pos < e.End;)
            {
                long chunk = pos / chunkSize;
                long end = Math.Min(e.End, (chunk + 1) * chunkSize);
                if (chunk < chunks.Count && chunks[(int)chunk] is not null) Add(result, new Extent(pos, end - pos));
                pos = end;
            }
        }
        return result;
    }

    private static void Add(List<Extent> result, Extent e)
    {
        if (result.Count > 0 && result[^1].End == e.Offset)
            result[^1] = result[^1] with { Length = result[^1].Length + e.Length };
        else
            result.Add(e);
    }
}
