using Kiln.Domain.Arm;

namespace Kiln.Domain.Runs;

/// <summary>
/// The desired and current state of one build of an image template. The Api writes a run as
/// desired state (Running/Queued, or CancelRequested); a Control worker acts on it and moves
/// it to a terminal state. OperationId is the run's async operation the client polls;
/// CancelOperationId the one of a pending cancel request.
/// </summary>
public sealed record RunRecord(
    string Id,
    string TemplateKey,
    string TemplateId,
    string OperationId,
    string? CancelOperationId,
    RunState State,
    string SubState,
    bool CancelRequested,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string Message,
    ArmErrorDetail? Error)
{
    public bool IsTerminal => State is RunState.Succeeded or RunState.PartiallySucceeded or RunState.Failed or RunState.Canceled;
}
