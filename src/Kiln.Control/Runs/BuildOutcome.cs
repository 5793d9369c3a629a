using Kiln.Domain.Arm;
using Kiln.Domain.Runs;

namespace Kiln.Control.Runs;

/// <summary>What a build engine reports at the end of a run. Error is required unless State is Succeeded.</summary>
public sealed record BuildOutcome(RunState State, string Message, ArmErrorDetail? Error);
