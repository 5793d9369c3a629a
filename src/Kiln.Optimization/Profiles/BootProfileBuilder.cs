using Kiln.Storage.Blocks;
using Kiln.Storage.Profiles;

namespace Kiln.Optimization.Profiles;

/// <summary>
/// Turns the traces of one or more boots into a boot profile: the union of their reads,
/// merged, in first-touch order.
///
/// Boots are not deterministic (timers, readahead), so reads from several boots are merged by
/// their time since boot start: a block any boot needed early comes early in the profile.
/// Reads are widened to <c>alignment</c> so that a storm of 512-byte BIOS reads becomes a
/// few page-sized extents and neighbours fuse:
///
///   trace (time order):  [8K,+512) [8.5K,+512) [1M,+4K) [9K,+512)
///   profile (4K align):  [8K,+4K)  [1M,+4K)        ← the third 512-byte read was already covered
/// </summary>
public static class BootProfileBuilder
{
    public static BootProfile Build(
        IReadOnlyList<IReadOnlyList<TracedRead>> boots,
        IReadOnlyList<BootProfileBoot> bootSummaries,
        BootProfileImage image,
        int alignment = 4096)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be a power of two.");

        var ordered = boots
            .SelectMany((reads, boot) => reads.Select((r, i) => (r, boot, i)))
            .OrderBy(x => x.r.Seconds).ThenBy(x => x.boot).ThenBy(x => x.i)
            .Select(x => x.r);

        var seen = new ExtentSet();
        var extents = new List<Extent>();
        foreach (var read in ordered)
        {
            if (read.Length <= 0) continue;
            long start = read.Offset & ~(long)(alignment - 1);
            long end = Math.Min(image.SizeBytes, AlignUp(read.Offset + read.Length, alignment));
            if (end <= start) continue;
            foreach (var fresh in seen.AddAndReturnNew(start, end - start))
            {
                // Fuse with the previous profile extent when it continues it on disk: fewer, larger extents.
                if (extents.Count > 0 && extents[^1].End == fresh.Offset)
                    extents[^1] = extents[^1] with { Length = extents[^1].Length + fresh.Length };
                else
                    extents.Add(fresh);
            }
        }

        return new BootProfile
        {
            Image = image,
            Boots = bootSummaries,
            WorkingSetBytes = seen.TotalBytes,
            Extents = extents.Select(e => new[] { e.Offset, e.Length }).ToList(),
        };
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);
}
