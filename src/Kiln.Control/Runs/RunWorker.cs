using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Runs;

namespace Kiln.Control.Runs;

/// <summary>
/// Level-based worker for runs: each pass reads every non-terminal run and does the next step —
/// start it on the build engine, forward a cancel, or (with no engine registered) end it Failed
/// with BuildEngineUnavailable. Runs found active at start-up were interrupted by a restart and
/// are failed, so nothing stays Running. One bad run is logged and retried, never kills the loop.
/// </summary>
public sealed class RunWorker : IAsyncDisposable
{
    public const string BuildEngineUnavailable = "BuildEngineUnavailable";

    private readonly IResourceStore _store;
    private readonly ImageTemplateRuns _runs;
    private readonly IBuildEngine? _engine;
    private readonly Action<string> _log;
    private readonly TimeSpan _pollInterval;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, (Task Task, CancellationTokenSource Cancel)> _inFlight = new();
    private Task? _loop;

    public RunWorker(IResourceStore store, ImageTemplateRuns runs, IBuildEngine? engine, Action<string> log, TimeSpan pollInterval)
    {
        _store = store;
        _runs = runs;
        _engine = engine;
        _log = log;
        _pollInterval = pollInterval;
        _runs.Requested += Wake;
    }

    public void Wake() => _wake.Release();

    /// <summary>Fails runs a previous process left active, then starts the loop.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var run in await _store.ListActiveRunsAsync(ct))
        {
            await _runs.FinishAsync(run, new BuildOutcome(RunState.Failed, "The server restarted while this run was active.",
                new ArmErrorDetail("RunInterrupted", "The server restarted while this run was active; start a new run.")), ct);
        }
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PassAsync(ct);
                await _wake.WaitAsync(_pollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _log($"run worker pass failed, retrying: {ex}");
                await Task.Delay(_pollInterval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        foreach (var run in await _store.ListActiveRunsAsync(ct))
        {
            try
            {
                await StepAsync(run, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _log($"run {run.Id} of {run.TemplateId}: step failed, will retry: {ex.Message}");
            }
        }
    }

    private async Task StepAsync(RunRecord run, CancellationToken ct)
    {
        if (_inFlight.TryGetValue(run.Id, out var active))
        {
            if (run.CancelRequested && !active.Cancel.IsCancellationRequested)
                await active.Cancel.CancelAsync();
            return;
        }
        if (run.CancelRequested)
        {
            await _runs.FinishAsync(run, new BuildOutcome(RunState.Canceled, "Canceled before the build started.", null), ct);
            return;
        }
        if (_engine is null)
        {
            await _runs.FinishAsync(run, new BuildOutcome(RunState.Failed, "No build engine is registered with this Kiln server.",
                new ArmErrorDetail(BuildEngineUnavailable,
                    "No build engine is registered with this Kiln server, so the image cannot be built. " +
                    "The run was recorded and ended without building anything.")), ct);
            return;
        }
        var template = await _store.GetAsync(run.TemplateKey, ct);
        if (template is null)
        {
            await _runs.FinishAsync(run, new BuildOutcome(RunState.Canceled, "The image template was deleted.", null), ct);
            return;
        }
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var task = Task.Run(() => BuildAsync(run, (JsonObject)template.Body.DeepClone(), cancel), CancellationToken.None);
        _inFlight[run.Id] = (task, cancel);
    }

    private async Task BuildAsync(RunRecord run, JsonObject template, CancellationTokenSource cancel)
    {
        BuildOutcome outcome;
        try
        {
            var progress = new Progress<string>(sub => _ = _runs.SetSubStateAsync(run, sub, CancellationToken.None));
            outcome = await _engine!.BuildAsync(run, template, progress, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            outcome = _stop.IsCancellationRequested
                ? new BuildOutcome(RunState.Failed, "The server stopped during the build.",
                    new ArmErrorDetail("RunInterrupted", "The server stopped during the build; start a new run."))
                : new BuildOutcome(RunState.Canceled, "Canceled by request.", null);
        }
        catch (Exception ex)
        {
            outcome = new BuildOutcome(RunState.Failed, ex.Message, new ArmErrorDetail("BuildFailed", ex.Message));
        }
        try
        {
            await _runs.FinishAsync(run, outcome, CancellationToken.None);
        }
        finally
        {
            _inFlight.TryRemove(run.Id, out _);
            cancel.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _runs.Requested -= Wake;
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var (task, _) in _inFlight.Values)
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _wake.Dispose();
    }
}
