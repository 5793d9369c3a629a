using Kiln.Domain.Arm;

namespace Kiln.Domain.Operations;

/// <summary>
/// One long-running operation as ARM clients poll it (Azure-AsyncOperation body: id, name,
/// status, startTime, endTime, error). ResourceId is the resource it acts on; Kind says what it
/// does (create, delete, run, cancel) so the Location poll knows what to answer.
/// </summary>
public sealed record OperationRecord(
    string Id,
    string Subscription,
    string Namespace,
    string Location,
    string ResourceId,
    string Kind,
    OperationStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    ArmErrorDetail? Error)
{
    public bool IsTerminal => Status != OperationStatus.InProgress;
}
