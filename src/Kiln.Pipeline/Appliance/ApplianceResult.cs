namespace Kiln.Pipeline.Appliance;

/// <summary>What one appliance boot did.</summary>
/// <param name="Steps">One entry per job step, in order.</param>
/// <param name="Completed">The appliance reached its end (cleaned up, unmounted, powered off) rather than crashing or timing out.</param>
/// <param name="ConsoleTail">The last console lines (kernel and appliance messages included), for error messages.</param>
public sealed record ApplianceResult(IReadOnlyList<ApplianceStepResult> Steps, bool Completed, IReadOnlyList<string> ConsoleTail, double Seconds)
{
    public bool Succeeded => Completed && Steps.All(s => s.Succeeded);
}
