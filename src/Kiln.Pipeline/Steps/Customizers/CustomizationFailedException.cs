namespace Kiln.Pipeline.Steps.Customizers;

/// <summary>A customizer (or the generalization) ran and failed; the message carries the tail of its output for the run's message.</summary>
public sealed class CustomizationFailedException(string message, string stepName, int? exitCode) : Exception(message)
{
    public string StepName { get; } = stepName;

    /// <summary>The script's exit status; null when the appliance itself failed (crash, timeout).</summary>
    public int? ExitCode { get; } = exitCode;
}
