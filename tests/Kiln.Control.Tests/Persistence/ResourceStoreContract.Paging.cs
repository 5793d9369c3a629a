using Kiln.Control.Persistence;
using Kiln.Domain.Operations;

namespace Kiln.Control.Tests.Persistence;

/// <summary>The contract's keyset paging and operation pruning cases (same engines as the rest).</summary>
public abstract partial class ResourceStoreContract
{
    private async Task<List<string>> AllPagesAsync(string type, string? under, int limit, Func<int, Task>? betweenPages = null)
    {
        var keys = new List<string>();
        string? after = null;
        for (int page = 0; page < 100; page++)
        {
            var p = await Store.ListPageAsync(type, under, after, limit, None);
            Assert.True(p.Items.Count <= limit, $"page {page} has {p.Items.Count} items, more than the limit {limit}");
            keys.AddRange(p.Items.Select(i => i.Key));
            if (!p.More)
                return keys;
            after = p.NextAfterKey;
            if (betweenPages is not null)
                await betweenPages(page);
        }
        throw new InvalidOperationException("paging did not end after 100 pages");
    }

    [Fact]
    public async Task PagesWalkTheScopeInKeyOrderWithoutLeakingOutsideIt()
    {
        foreach (var g in new[] { "g5", "g1", "g3", "g2", "g4" })
            await Store.InsertAsync(Resource(Rg("rg1") + "/providers/microsoft.compute/galleries/" + g), None);
        // Neighbours that a sloppy range would pick up: a sibling group whose name extends rg1, and another type.
        await Store.InsertAsync(Resource(Rg("rg10") + "/providers/microsoft.compute/galleries/g0"), None);
        await Store.InsertAsync(Resource(Rg("rg1") + "/providers/microsoft.compute/galleries/g1/images/d1", "Microsoft.Compute/galleries/images"), None);
        var expected = new[] { "g1", "g2", "g3", "g4", "g5" }.Select(g => Rg("rg1") + "/providers/microsoft.compute/galleries/" + g).ToList();

        Assert.Equal(expected, await AllPagesAsync(Gallery, Rg("rg1"), 2));
        Assert.Equal(expected, await AllPagesAsync(Gallery, Rg("rg1"), 5));
        Assert.Equal(expected, await AllPagesAsync(Gallery, Rg("rg1"), 100));
        Assert.Equal(6, (await AllPagesAsync(Gallery, null, 4)).Count);

        var exact = await Store.ListPageAsync(Gallery, Rg("rg1"), null, 5, None);
        Assert.False(exact.More); // a full last page is not followed by an empty one
        Assert.Null(exact.NextAfterKey);
        var first = await Store.ListPageAsync(Gallery, Rg("rg1"), null, 2, None);
        Assert.True(first.More);
        Assert.Equal(expected[1], first.NextAfterKey);
        Assert.Empty((await Store.ListPageAsync(Gallery, Rg("nothing"), null, 2, None)).Items);
    }

    [Fact]
    public async Task PagingIsStableWhenItemsComeAndGoBetweenPages()
    {
        string G(string name) => Rg("rg1") + "/providers/microsoft.compute/galleries/" + name;
        foreach (var g in new[] { "b", "d", "f", "h" })
            await Store.InsertAsync(Resource(G(g)), None);
        var keys = await AllPagesAsync(Gallery, Rg("rg1"), 2, async page =>
        {
            if (page != 0)
                return;
            // After page one (b, d): remove a seen item and an unseen one, add one before the cursor and one after it.
            await Store.DeleteTreeAsync(G("b"), None);
            await Store.DeleteTreeAsync(G("f"), None);
            await Store.InsertAsync(Resource(G("a")), None);
            await Store.InsertAsync(Resource(G("e")), None);
        });
        // Nothing seen twice, nothing that existed throughout (d, h) skipped; the new item after the cursor shows up.
        Assert.Equal(new[] { G("b"), G("d"), G("e"), G("h") }, keys);
    }

    [Fact]
    public async Task PruneRemovesOnlyTerminalOperationsThatEndedBeforeTheCutoff()
    {
        OperationRecord Op(string id, OperationStatus status, DateTimeOffset? end) =>
            new(id, Sub, "ns", "westus2", Rg("rg1"), "run", status, T0.AddDays(-30), end, null);
        await Store.PutOperationAsync(Op("old-ok", OperationStatus.Succeeded, T0.AddDays(-8)), None);
        // Written at another offset: the cutoff compares instants, not text.
        await Store.PutOperationAsync(Op("old-failed", OperationStatus.Failed, T0.AddDays(-8).ToOffset(TimeSpan.FromHours(-7))), None);
        await Store.PutOperationAsync(Op("recent", OperationStatus.Canceled, T0.AddDays(-6)), None);
        await Store.PutOperationAsync(Op("just-after", OperationStatus.Succeeded, T0.AddDays(-7).AddSeconds(1)), None);
        await Store.PutOperationAsync(Op("running", OperationStatus.InProgress, null), None);

        Assert.Equal(2, await Store.PruneOperationsAsync(T0.AddDays(-7), None));

        Assert.Null(await Store.GetOperationAsync("old-ok", None));
        Assert.Null(await Store.GetOperationAsync("old-failed", None));
        foreach (var kept in new[] { "recent", "just-after", "running" })
            Assert.NotNull(await Store.GetOperationAsync(kept, None));
        Assert.Equal(0, await Store.PruneOperationsAsync(T0.AddDays(-7), None));
    }
}
