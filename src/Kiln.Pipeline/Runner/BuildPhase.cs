namespace Kiln.Pipeline.Runner;

/// <summary>Azure Image Builder's runSubState values, in the order a build passes through them.</summary>
public enum BuildPhase
{
    Queued,
    Building,
    Customizing,
    Optimizing,
    Validating,
    Distributing,
}
