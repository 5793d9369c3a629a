using System.Text.Json.Nodes;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Identity;
using Kiln.Domain.Operations;
using Kiln.Domain.Runs;

namespace Kiln.Control.Tests.Persistence;

/// <summary>
/// What every <see cref="IResourceStore"/> must do, run once per engine by a subclass that says how to
/// open (and reopen) its store. Keys follow the real shape: lower-case ARM ids.
/// </summary>
public abstract partial class ResourceStoreContract : IAsyncLifetime
{
    private const string Gallery = "Microsoft.Compute/galleries";
    private const string Sub = "/subscriptions/00000000-0000-0000-0000-000000000001";
    private static readonly CancellationToken None = CancellationToken.None;
    // Whole milliseconds: PostgreSQL keeps microseconds, SQLite text keeps ticks; the contract is "the same instant back".
    private static readonly DateTimeOffset T0 = new(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    private IResourceStore? _store;
    protected IResourceStore Store => _store ?? throw new InvalidOperationException("store not open");

    /// <summary>Opens the store over this test's database; called again by <see cref="ReopenAsync"/> for the same data.</summary>
    protected abstract Task<IResourceStore> OpenStoreAsync();

    /// <summary>Makes this test's empty database (runs before the first open).</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Removes what <see cref="PrepareAsync"/> made (after the store is disposed).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        _store = await OpenStoreAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_store is not null)
                await _store.DisposeAsync();
        }
        finally
        {
            await CleanupAsync();
        }
    }

    private async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await OpenStoreAsync();
    }

    private static string Rg(string name) => $"{Sub}/resourcegroups/{name}";

    private static StoredResource Resource(string key, string type = Gallery, string marker = "v1", DateTimeOffset? at = null) =>
        new(key, key.ToUpperInvariant(), type, Sub, new JsonObject { ["name"] = key[(key.LastIndexOf('/') + 1)..], ["marker"] = marker },
            at ?? T0, (at ?? T0).AddMinutes(1));

    private async Task<List<string>> KeysAsync(string type, string? under) =>
        (await Store.ListAsync(type, under, None)).Select(r => r.Key).ToList();

    [Fact]
    public async Task GetOfAMissingKeyIsNull() => Assert.Null(await Store.GetAsync(Rg("nope"), None));

    [Fact]
    public async Task InsertedResourceComesBackFieldForField()
    {
        var r = Resource(Rg("rg1") + "/providers/microsoft.compute/galleries/g1");
        r = r with { Body = JsonNode.Parse("""{"name":"g1","location":"westus2","tags":{"b":"1","a":"2"},"properties":{"x":[1,2]}}""")!.AsObject() };
        Assert.True(await Store.InsertAsync(r, None));
        var got = await Store.GetAsync(r.Key, None);
        Assert.NotNull(got);
        Assert.Equal((r.Key, r.Id, Gallery.ToLowerInvariant(), r.Subscription), (got.Key, got.Id, got.Type, got.Subscription));
        // The document comes back as written, key order included (clients see it).
        Assert.Equal(r.Body.ToJsonString(), got.Body.ToJsonString());
        Assert.Equal(r.CreatedAt, got.CreatedAt);
        Assert.Equal(r.ChangedAt, got.ChangedAt);
    }

    [Fact]
    public async Task InsertIsCreateOnly()
    {
        Assert.True(await Store.InsertAsync(Resource(Rg("rg1"), marker: "first"), None));
        Assert.False(await Store.InsertAsync(Resource(Rg("rg1"), marker: "second"), None));
        Assert.Equal("first", (await Store.GetAsync(Rg("rg1"), None))!.Body["marker"]!.GetValue<string>());
    }

    [Fact]
    public async Task ParallelInsertsOfOneKeyHaveExactlyOneWinner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Store.InsertAsync(Resource(Rg("race"), marker: $"m{i}"), None))));
        Assert.Single(results, won => won);
        int winner = Array.IndexOf(results, true);
        Assert.Equal($"m{winner}", (await Store.GetAsync(Rg("race"), None))!.Body["marker"]!.GetValue<string>());
    }

    [Fact]
    public async Task ParallelWritesOfDifferentKeysAllLand()
    {
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => Store.UpsertAsync(Resource(Rg($"p{i:00}")), None))));
        Assert.Equal(32, (await KeysAsync(Gallery, null)).Count);
    }

    [Fact]
    public async Task UpsertCreatesThenReplaces()
    {
        await Store.UpsertAsync(Resource(Rg("rg1"), marker: "a"), None);
        await Store.UpsertAsync(Resource(Rg("rg1"), marker: "b", at: T0.AddDays(1)), None);
        var got = (await Store.GetAsync(Rg("rg1"), None))!;
        Assert.Equal("b", got.Body["marker"]!.GetValue<string>());
        Assert.Equal(T0.AddDays(1), got.CreatedAt);
        Assert.Single(await KeysAsync(Gallery, null));
    }

    [Fact]
    public async Task ListFiltersByTypeCaseInsensitivelyInKeyOrder()
    {
        await Store.InsertAsync(Resource(Rg("b")), None);
        await Store.InsertAsync(Resource(Rg("a")), None);
        await Store.InsertAsync(Resource(Rg("c"), type: "Microsoft.Resources/resourceGroups"), None);
        Assert.Equal([Rg("a"), Rg("b")], await KeysAsync("MICROSOFT.COMPUTE/GALLERIES", null));
        Assert.Empty(await KeysAsync("Microsoft.Compute/images", null));
    }

    [Fact]
    public async Task ListUnderIsAKeyPrefixRangeNotAPattern()
    {
        // Siblings that share the text of the parent's key ("a/b" vs "a/bc"), and '_' / '%', which a LIKE would treat as wildcards.
        string[] keys = ["a/b", "a/b/x", "a/b/y/z", "a/bc", "a/bc/x", "a/b_/x", "a/b%/x", "a/bx/x", "a/b0", "a/b.", "a_b/x", "a%b/x", "axb/x"];
        foreach (var k in keys)
            await Store.InsertAsync(Resource(k), None);
        Assert.Equal(["a/b/x", "a/b/y/z"], await KeysAsync(Gallery, "a/b"));
        Assert.Equal(["a/b_/x"], await KeysAsync(Gallery, "a/b_"));
        Assert.Equal(["a/b%/x"], await KeysAsync(Gallery, "a/b%"));
        Assert.Equal(["a_b/x"], await KeysAsync(Gallery, "a_b"));
        Assert.Equal(["a%b/x"], await KeysAsync(Gallery, "a%b"));
        Assert.Empty(await KeysAsync(Gallery, "a/b/x"));
        Assert.Empty(await KeysAsync(Gallery, "a/"));
    }

    [Fact]
    public async Task DeleteTreeTakesTheKeyAndEverythingBelowOnly()
    {
        string[] keys = ["a/b", "a/b/x", "a/b/y/z", "a/bc", "a/bc/x", "a/b_/x", "a/b%/x", "a/b0"];
        foreach (var k in keys)
            await Store.InsertAsync(Resource(k), None);
        await Store.InsertAsync(Resource("a/b/ext", type: "Microsoft.Authorization/roleAssignments"), None);
        Assert.Equal(4, await Store.DeleteTreeAsync("a/b", None));
        Assert.Equal(["a/b%/x", "a/b0", "a/b_/x", "a/bc", "a/bc/x"], (await KeysAsync(Gallery, null)).Order(StringComparer.Ordinal));
        Assert.Equal(0, await Store.DeleteTreeAsync("a/b", None));
        Assert.Equal(1, await Store.DeleteTreeAsync("a/b_", None));
        Assert.Equal(1, await Store.DeleteTreeAsync("a/b%", None));
        Assert.Equal(["a/b0", "a/bc", "a/bc/x"], (await KeysAsync(Gallery, null)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OperationsPutGetAndOverwrite()
    {
        var op = new OperationRecord("op1", Sub, "Microsoft.VirtualMachineImages", "westus2", Rg("rg1"), "run", OperationStatus.InProgress, T0, null, null);
        Assert.Null(await Store.GetOperationAsync("op1", None));
        await Store.PutOperationAsync(op, None);
        Assert.Equal(op, await Store.GetOperationAsync("op1", None));
        var done = op with { Status = OperationStatus.Failed, EndTime = T0.AddHours(1), Error = new ArmErrorDetail("Boom", "it broke", "x") };
        await Store.PutOperationAsync(done, None);
        Assert.Equal(done, await Store.GetOperationAsync("op1", None));
    }

    private static RunRecord Run(string id, string template, RunState state, DateTimeOffset start) =>
        new(id, template, template.ToUpperInvariant(), "op-" + id, null, state, "Building", false, start, null, "", null);

    [Fact]
    public async Task RunsPutGetActiveAndLatest()
    {
        Assert.Null(await Store.GetRunAsync("r1", None));
        Assert.Null(await Store.GetLatestRunAsync("t1", None));
        await Store.PutRunAsync(Run("r2", "t1", RunState.Running, T0.AddMinutes(2)), None);
        await Store.PutRunAsync(Run("r1", "t1", RunState.Running, T0.AddMinutes(1)), None);
        await Store.PutRunAsync(Run("r3", "t2", RunState.Canceling, T0.AddMinutes(3)), None);
        await Store.PutRunAsync(Run("r0", "t2", RunState.Succeeded, T0), None);
        Assert.Equal(["r1", "r2", "r3"], (await Store.ListActiveRunsAsync(None)).Select(r => r.Id));
        Assert.Equal("r2", (await Store.GetLatestRunAsync("t1", None))!.Id);
        Assert.Equal("r3", (await Store.GetLatestRunAsync("t2", None))!.Id);

        var failed = Run("r1", "t1", RunState.Failed, T0.AddMinutes(1)) with { EndTime = T0.AddHours(1), Error = new ArmErrorDetail("X", "y") };
        await Store.PutRunAsync(failed, None);
        Assert.Equal(failed, await Store.GetRunAsync("r1", None));
        Assert.Equal(["r2", "r3"], (await Store.ListActiveRunsAsync(None)).Select(r => r.Id));
    }

    private static Principal Principal(string objectId, string clientId, string name = "p") =>
        new(objectId, clientId, "tenant", name, PrincipalKind.ServicePrincipal, "hash", ["sub1", "sub2"]);

    [Fact]
    public async Task PrincipalsAreFoundByEitherIdCaseInsensitively()
    {
        await Store.PutPrincipalAsync(Principal("OBJ-1", "Client-1"), None);
        Assert.Equal("OBJ-1", (await Store.GetPrincipalAsync("obj-1", None))!.ObjectId);
        var found = await Store.FindPrincipalByClientIdAsync("CLIENT-1", None);
        Assert.Equal(["sub1", "sub2"], found!.Subscriptions);
        await Store.PutPrincipalAsync(Principal("obj-1", "client-1", "renamed"), None);
        Assert.Equal("renamed", (await Store.GetPrincipalAsync("obj-1", None))!.DisplayName);
        await Store.DeletePrincipalAsync("Obj-1", None);
        Assert.Null(await Store.GetPrincipalAsync("obj-1", None));
        Assert.Null(await Store.FindPrincipalByClientIdAsync("client-1", None));
    }

    [Fact]
    public async Task APrincipalTakingAClientIdReplacesItsHolder()
    {
        await Store.PutPrincipalAsync(Principal("obj-1", "client-1"), None);
        await Store.PutPrincipalAsync(Principal("obj-2", "client-1"), None);
        Assert.Null(await Store.GetPrincipalAsync("obj-1", None));
        Assert.Equal("obj-2", (await Store.FindPrincipalByClientIdAsync("client-1", None))!.ObjectId);
    }

    [Fact]
    public async Task SettingsGetSetAndOverwrite()
    {
        Assert.Null(await Store.GetSettingAsync("tenant", None));
        await Store.SetSettingAsync("tenant", "t1", None);
        await Store.SetSettingAsync("tenant", "t2", None);
        Assert.Equal("t2", await Store.GetSettingAsync("tenant", None));
        Assert.Null(await Store.GetSettingAsync("TENANT", None));
    }

    [Fact]
    public async Task EverythingSurvivesAReopen()
    {
        var r = Resource(Rg("rg1"));
        var op = new OperationRecord("op1", Sub, "ns", "westus2", r.Id, "create", OperationStatus.Succeeded, T0, T0, null);
        var run = Run("r1", "t1", RunState.Running, T0);
        await Store.InsertAsync(r, None);
        await Store.PutOperationAsync(op, None);
        await Store.PutRunAsync(run, None);
        await Store.PutPrincipalAsync(Principal("obj-1", "client-1"), None);
        await Store.SetSettingAsync("k", "v", None);

        await ReopenAsync();

        var got = (await Store.GetAsync(r.Key, None))!;
        Assert.Equal((r.Id, r.Body.ToJsonString(), r.ChangedAt), (got.Id, got.Body.ToJsonString(), got.ChangedAt));
        Assert.Equal(op, await Store.GetOperationAsync("op1", None));
        Assert.Equal(run, await Store.GetRunAsync("r1", None));
        Assert.Equal(["r1"], (await Store.ListActiveRunsAsync(None)).Select(x => x.Id));
        Assert.NotNull(await Store.FindPrincipalByClientIdAsync("client-1", None));
        Assert.Equal("v", await Store.GetSettingAsync("k", None));
        Assert.False(await Store.InsertAsync(r, None));
    }
}
