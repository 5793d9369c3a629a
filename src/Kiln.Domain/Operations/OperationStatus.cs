namespace Kiln.Domain.Operations;

/// <summary>ARM async-operation states; the last three are terminal.</summary>
public enum OperationStatus
{
    InProgress,
    Succeeded,
    Failed,
    Canceled,
}
