using Kiln.Pipeline.Runner;

namespace Kiln.Control.Builds;

/// <summary>Reports a step's phase as the run's runSubState when it starts, then runs it unchanged.</summary>
public sealed class ReportingStep(IPipelineStep inner, IProgress<string> progress) : IPipelineStep
{
    public string Name => inner.Name;
    public BuildPhase Phase => inner.Phase;

    public Task RunAsync(BuildContext context, CancellationToken ct)
    {
        progress.Report(inner.Phase.ToString());
        return inner.RunAsync(context, ct);
    }

    public Task CleanupAsync(BuildContext context, BuildOutcome outcome) => inner.CleanupAsync(context, outcome);
}
