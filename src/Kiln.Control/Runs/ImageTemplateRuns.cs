using System.Text.Json.Nodes;
using Kiln.Control.Operations;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Operations;
using Kiln.Domain.Runs;

namespace Kiln.Control.Runs;

/// <summary>
/// Desired-state side of builds: the Api asks for a run or a cancel here; <see cref="RunWorker"/>
/// acts. Every state change is mirrored into the template's properties.lastRunStatus and into the
/// run's async operation, so az's polling and `az image builder show` agree.
/// </summary>
public sealed class ImageTemplateRuns(IResourceStore store, OperationTracker operations, TimeProvider clock)
{
    private const string Namespace = "Microsoft.VirtualMachineImages";

    // Run records are read-modify-written by the Api (run, cancel) and the worker (progress,
    // finish) at once; one gate keeps a late progress report from reviving a finished run.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after a run or cancel is recorded, so the worker need not wait for its next poll.</summary>
    public event Action? Requested;

    public async Task<OperationRecord> RequestRunAsync(StoredResource template, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await RequestRunLockedAsync(template, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OperationRecord> RequestRunLockedAsync(StoredResource template, CancellationToken ct)
    {
        var latest = await store.GetLatestRunAsync(template.Key, ct);
        if (latest is { IsTerminal: false })
            throw KilnException.Conflict("BuildAlreadyRunning",
                $"Image template '{template.Id}' already has a build in progress (run {latest.Id}); cancel it or wait for it to end.");
        string location = template.Body["location"]?.GetValue<string>() ?? "global";
        var op = await operations.StartAsync(template.Subscription, Namespace, location, template.Id, "run", ct);
        var run = new RunRecord(Guid.NewGuid().ToString("D"), template.Key, template.Id, op.Id, null, RunState.Running, "Queued",
            false, clock.GetUtcNow(), null, "", null);
        await store.PutRunAsync(run, ct);
        await MirrorAsync(run, ct);
        Requested?.Invoke();
        return op;
    }

    /// <summary>
    /// Cancels the template's active run. With no active run there is nothing to cancel and the
    /// operation succeeds at once (cancel is idempotent, like DELETE of a missing resource).
    /// </summary>
    public async Task<OperationRecord> RequestCancelAsync(StoredResource template, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await RequestCancelLockedAsync(template, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OperationRecord> RequestCancelLockedAsync(StoredResource template, CancellationToken ct)
    {
        string location = template.Body["location"]?.GetValue<string>() ?? "global";
        var latest = await store.GetLatestRunAsync(template.Key, ct);
        if (latest is not { IsTerminal: false })
            return await operations.CompletedAsync(template.Subscription, Namespace, location, template.Id, "cancel", ct);
        if (latest.CancelOperationId is not null)
            return await store.GetOperationAsync(latest.CancelOperationId, ct)
                ?? throw new InvalidOperationException($"Run {latest.Id} names cancel operation {latest.CancelOperationId}, which is not stored.");
        var op = await operations.StartAsync(template.Subscription, Namespace, location, template.Id, "cancel", ct);
        var canceling = latest with { CancelRequested = true, CancelOperationId = op.Id, State = RunState.Canceling };
        await store.PutRunAsync(canceling, ct);
        await MirrorAsync(canceling, ct);
        Requested?.Invoke();
        return op;
    }

    public async Task<RunRecord> SetSubStateAsync(RunRecord run, string subState, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await SetSubStateLockedAsync(run, subState, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RunRecord> SetSubStateLockedAsync(RunRecord run, string subState, CancellationToken ct)
    {
        var current = await store.GetRunAsync(run.Id, ct) ?? run;
        if (current.IsTerminal)
            return current;
        var next = current with { SubState = subState };
        await store.PutRunAsync(next, ct);
        await MirrorAsync(next, ct);
        return next;
    }

    /// <summary>Ends a run: run record, its operation, a pending cancel operation and lastRunStatus.</summary>
    public async Task<RunRecord> FinishAsync(RunRecord run, BuildOutcome outcome, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await FinishLockedAsync(run, outcome, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RunRecord> FinishLockedAsync(RunRecord run, BuildOutcome outcome, CancellationToken ct)
    {
        var current = await store.GetRunAsync(run.Id, ct) ?? run;
        if (current.IsTerminal)
            return current;
        var done = current with
        {
            State = outcome.State, SubState = "", EndTime = clock.GetUtcNow(), Message = outcome.Message, Error = outcome.Error,
        };
        await store.PutRunAsync(done, ct);
        // lastRunStatus first: a client that sees the operation end must find the template ended too.
        await MirrorAsync(done, ct);
        var status = outcome.State switch
        {
            RunState.Succeeded or RunState.PartiallySucceeded => OperationStatus.Succeeded,
            RunState.Canceled => OperationStatus.Canceled,
            _ => OperationStatus.Failed,
        };
        var error = status == OperationStatus.Succeeded ? null
            : outcome.Error ?? new ArmErrorDetail(outcome.State.ToString(), outcome.Message);
        await operations.FinishAsync(done.OperationId, status, error, ct);
        if (done.CancelOperationId is not null)
            await operations.FinishAsync(done.CancelOperationId, OperationStatus.Succeeded, null, ct);
        return done;
    }

    /// <summary>
    /// Edits the stored template's properties for a build (exactStagingResourceGroup, source.exactVersion),
    /// under the same gate as the lastRunStatus mirror so neither write loses the other.
    /// </summary>
    public async Task UpdateTemplatePropertiesAsync(RunRecord run, Action<JsonObject> edit, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var template = await store.GetAsync(run.TemplateKey, ct);
            if (template is null)
                return;
            var body = (JsonObject)template.Body.DeepClone();
            if (body["properties"] is not JsonObject properties)
                body["properties"] = properties = new JsonObject();
            edit(properties);
            await store.UpsertAsync(template with { Body = body, ChangedAt = clock.GetUtcNow() }, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task MirrorAsync(RunRecord run, CancellationToken ct)
    {
        var template = await store.GetAsync(run.TemplateKey, ct);
        if (template is null)
            return; // deleted meanwhile: never resurrect it
        var body = (JsonObject)template.Body.DeepClone();
        var properties = body["properties"] as JsonObject ?? new JsonObject();
        body["properties"] = properties;
        var status = new JsonObject
        {
            ["startTime"] = run.StartTime.ToString("O"),
            ["endTime"] = run.EndTime?.ToString("O") ?? "0001-01-01T00:00:00Z",
            ["runState"] = run.State.ToString(),
            ["runSubState"] = run.SubState,
            ["message"] = run.Error is null ? run.Message : $"{run.Error.Code}: {run.Error.Message}",
        };
        properties["lastRunStatus"] = status;
        await store.UpsertAsync(template with { Body = body, ChangedAt = clock.GetUtcNow() }, ct);
    }
}
