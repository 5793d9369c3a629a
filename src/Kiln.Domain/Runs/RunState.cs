namespace Kiln.Domain.Runs;

/// <summary>AIB lastRunStatus.runState values (azure-api.md §1.3).</summary>
public enum RunState
{
    Running,
    Canceling,
    Succeeded,
    PartiallySucceeded,
    Failed,
    Canceled,
}
