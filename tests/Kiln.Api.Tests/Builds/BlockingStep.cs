using Kiln.Pipeline.Runner;

namespace Kiln.Api.Tests.Builds;

/// <summary>A step that waits until cancelled (stands in for a long customization in cancel/timeout/restart tests).</summary>
public sealed class BlockingStep : IPipelineStep
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool CleanedUp { get; private set; }

    public string Name => "blocking";
    public BuildPhase Phase => BuildPhase.Customizing;

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
    }

    public Task CleanupAsync(BuildContext context, BuildOutcome outcome)
    {
        CleanedUp = true;
        return Task.CompletedTask;
    }

    /// <summary>Inserts this step right after the source step.</summary>
    public IReadOnlyList<IPipelineStep> InsertInto(IReadOnlyList<IPipelineStep> steps) => [.. steps.Take(1), this, .. steps.Skip(1)];
}
