using Kiln.Optimization.Profiles;
using Kiln.Storage.Profiles;

namespace Kiln.Optimization.Tests.Profiles;

public class BootProfileBuilderTests
{
    private static readonly BootProfileImage Image = new() { SizeBytes = 1 << 30, ContentId = "test" };

    private static BootProfile Build(params TracedRead[][] boots) =>
        BootProfileBuilder.Build(boots, boots.Select(_ => new BootProfileBoot()).ToList(), Image);

    private static BootProfile One(params TracedRead[] reads) => Build(reads);

    [Fact]
    public void SectorStorm_BecomesOnePageExtent_AndRepeatsAreDropped()
    {
        var p = One(new(0.1, 8192, 512), new(0.2, 8704, 512), new(0.3, 1 << 20, 4096), new(0.4, 9216, 512));
        Assert.Equal([[8192L, 4096L], [1L << 20, 4096L]], p.Extents);
        Assert.Equal(8192, p.WorkingSetBytes);
    }

    [Fact]
    public void ExtentsKeepFirstTouchOrder_NotOffsetOrder()
    {
        var p = One(new(0, 1 << 20, 4096), new(1, 0, 4096), new(2, 1 << 19, 4096));
        Assert.Equal(new long[] { 1 << 20, 0, 1 << 19 }, p.Extents.Select(e => e[0]));
    }

    [Fact]
    public void ContiguousReadsInOrder_FuseIntoOneExtent()
    {
        var p = One(new(0, 0, 65536), new(1, 65536, 65536), new(2, 131072, 4096));
        Assert.Equal([[0L, 135168L]], p.Extents);
    }

    [Fact]
    public void PartialOverlap_AddsOnlyTheNewTail()
    {
        var p = One(new(0, 4096, 8192), new(1, 0, 16384));
        // [4K,12K) first, then the new parts of [0,16K): [0,4K) and [12K,16K).
        Assert.Equal([[4096L, 8192L], [0L, 4096L], [12288L, 4096L]], p.Extents);
        Assert.Equal(16384, p.WorkingSetBytes);
    }

    [Fact]
    public void SeveralBoots_AreUnitedByTimeSinceBootStart()
    {
        var boot1 = new TracedRead[] { new(0.5, 0, 4096), new(3.0, 1 << 20, 4096) };
        var boot2 = new TracedRead[] { new(0.4, 0, 4096), new(1.0, 2 << 20, 4096) };
        var p = Build(boot1, boot2);
        Assert.Equal(new long[] { 0, 2 << 20, 1 << 20 }, p.Extents.Select(e => e[0]));
        Assert.Equal(3 * 4096, p.WorkingSetBytes);
    }

    [Fact]
    public void ExtentsNeverOverlap_AndCoverEveryRead_ForRandomTraces()
    {
        var rng = new Random(42);
        for (int round = 0; round < 50; round++)
        {
            var reads = Enumerable.Range(0, 500)
                .Select(i => new TracedRead(i, rng.NextInt64(0, (1 << 30) - 200_000), rng.Next(1, 200_000)))
                .ToArray();
            var p = One(reads);
            var sorted = p.Extents.Select(e => (o: e[0], l: e[1])).OrderBy(e => e.o).ToList();
            for (int i = 1; i < sorted.Count; i++)
                Assert.True(sorted[i - 1].o + sorted[i - 1].l <= sorted[i].o, "profile extents overlap");
            Assert.Equal(p.WorkingSetBytes, sorted.Sum(e => e.l));
            foreach (var r in reads)
            {
                long covered = sorted.Sum(e => Math.Max(0, Math.Min(e.o + e.l, r.Offset + r.Length) - Math.Max(e.o, r.Offset)));
                Assert.Equal(r.Length, covered);
            }
        }
    }
}
