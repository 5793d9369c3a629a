namespace Kiln.Pipeline.Runner;

/// <summary>How a build ended; maps onto Azure's runState (Succeeded, Failed, Canceled; a timeout is Failed).</summary>
public enum BuildOutcome
{
    Succeeded,
    Failed,
    Canceled,
    TimedOut,
}
