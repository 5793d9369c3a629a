namespace Kiln.Pipeline.Runner;

/// <summary>A step (or preflight) that cannot go on, with the ARM error code the run reports (AuthorizationFailed, SourceImageNotEligible…).</summary>
public sealed class BuildStepException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
