using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Runner;

namespace Kiln.Control.Builds;

/// <summary>How <see cref="PipelineBuildEngine"/> runs builds.</summary>
public sealed record PipelineBuildEngineOptions
{
    /// <summary>Clock of the build timeout and phase timings (tests pass a fake to time a run out).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How the customization appliance runs (network on by default; <c>kiln serve --no-appliance-network</c> turns it off).</summary>
    public ApplianceOptions Appliance { get; init; } = new();

    /// <summary>
    /// Test seam: gets the planned steps and returns the ones to run (tests insert a step that blocks
    /// to exercise cancel, timeout and restart). Null in production.
    /// </summary>
    public Func<IReadOnlyList<IPipelineStep>, IReadOnlyList<IPipelineStep>>? AdjustSteps { get; init; }
}
