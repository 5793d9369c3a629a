using Kiln.Control.Operations;
using Kiln.Control.Persistence;
using Kiln.Domain.Operations;
using Microsoft.Extensions.Time.Testing;

namespace Kiln.Control.Tests.Operations;

/// <summary>The pruner over a real SQLite store and a fake clock: start-up pass, timed passes, running operations kept.</summary>
public sealed class OperationPrunerTests : IAsyncLifetime
{
    private static readonly OperationRetention Retention = new(TimeSpan.FromDays(7), TimeSpan.FromHours(1));
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-pruner-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private IResourceStore _store = null!;
    private OperationTracker _tracker = null!;

    public async Task InitializeAsync()
    {
        _store = await ResourceStores.OpenAsync(database: null, _dir, CancellationToken.None);
        _tracker = new OperationTracker(_store, _clock);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> FinishedAsync()
    {
        var op = await _tracker.StartAsync("sub", "ns", "westus2", "/subscriptions/sub/resourceGroups/rg", "put", CancellationToken.None);
        await _tracker.FinishAsync(op.Id, OperationStatus.Succeeded, null, CancellationToken.None);
        return op.Id;
    }

    private Task<OperationRecord?> GetAsync(string id) => _store.GetOperationAsync(id, CancellationToken.None);

    [Fact]
    public async Task StartPrunesExpiredRecordsAndTimedPassesPruneLaterOnesButNeverRunningOnes()
    {
        string old = await FinishedAsync();
        var running = await _tracker.StartAsync("sub", "ns", "westus2", "/subscriptions/sub/resourceGroups/rg", "run", CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(8));
        string fresh = await FinishedAsync();

        await using var pruner = new OperationPruner(_store, _clock, Retention, _ => { });
        var passed = System.Threading.Channels.Channel.CreateUnbounded<int>();
        pruner.Passed += n => passed.Writer.TryWrite(n);
        await pruner.StartAsync(CancellationToken.None);

        Assert.Null(await GetAsync(old));            // ended 8 days ago: pruned at start
        Assert.NotNull(await GetAsync(fresh));
        Assert.NotNull(await GetAsync(running.Id));  // 8 days old but still running

        // Six days later an hourly pass still keeps the fresh record; a day after that one removes it.
        _clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await passed.Reader.ReadAsync());
        Assert.NotNull(await GetAsync(fresh));
        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await passed.Reader.ReadAsync());
        Assert.Null(await GetAsync(fresh));
        Assert.NotNull(await GetAsync(running.Id));
    }

    [Fact]
    public async Task ANegativeRetentionIsRefusedAtStart()
    {
        await using var pruner = new OperationPruner(_store, _clock, new OperationRetention(TimeSpan.FromDays(-1), TimeSpan.FromHours(1)), _ => { });
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pruner.StartAsync(CancellationToken.None));
        Assert.Contains("retention", e.Message);
    }
}
