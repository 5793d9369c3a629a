namespace Kiln.Pipeline.Appliance;

/// <param name="ExitCode">The script's exit status; null when the step never ran (an earlier one failed) or the VM died during it.</param>
/// <param name="Output">The script's stdout and stderr lines, as the console carried them.</param>
/// <param name="Seconds">From the step's start marker to its exit marker (console timestamps); null when it did not finish.</param>
public sealed record ApplianceStepResult(string Name, int? ExitCode, IReadOnlyList<string> Output, double? Seconds)
{
    public bool Succeeded => ExitCode == 0;
}
