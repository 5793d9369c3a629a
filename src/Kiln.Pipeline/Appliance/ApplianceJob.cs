namespace Kiln.Pipeline.Appliance;

/// <summary>What one appliance boot does: its steps in order; the first failing step ends the job (later ones do not run).</summary>
public sealed record ApplianceJob(IReadOnlyList<ApplianceStep> Steps);
