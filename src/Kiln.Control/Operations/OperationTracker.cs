using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Operations;

namespace Kiln.Control.Operations;

/// <summary>Creates and finishes long-running operation records (what Azure-AsyncOperation URLs show).</summary>
public sealed class OperationTracker(IResourceStore store, TimeProvider clock)
{
    public async Task<OperationRecord> StartAsync(string subscription, string ns, string location, string resourceId, string kind,
        CancellationToken ct)
    {
        var op = new OperationRecord(Guid.NewGuid().ToString("D"), subscription, ns, string.IsNullOrEmpty(location) ? "global" : location,
            resourceId, kind, OperationStatus.InProgress, clock.GetUtcNow(), null, null);
        await store.PutOperationAsync(op, ct);
        return op;
    }

    /// <summary>An operation whose work was done synchronously (ARM clients still get a pollable URL).</summary>
    public async Task<OperationRecord> CompletedAsync(string subscription, string ns, string location, string resourceId, string kind,
        CancellationToken ct)
    {
        var op = await StartAsync(subscription, ns, location, resourceId, kind, ct);
        return await FinishAsync(op.Id, OperationStatus.Succeeded, null, ct);
    }

    public async Task<OperationRecord> FinishAsync(string id, OperationStatus status, ArmErrorDetail? error, CancellationToken ct)
    {
        var op = await store.GetOperationAsync(id, ct)
            ?? throw new InvalidOperationException($"Operation '{id}' is not in the store; it cannot be finished.");
        if (op.IsTerminal)
            return op; // terminal states never change (a late cancel must not rewrite a failure)
        var done = op with { Status = status, EndTime = clock.GetUtcNow(), Error = error };
        await store.PutOperationAsync(done, ct);
        return done;
    }
}
