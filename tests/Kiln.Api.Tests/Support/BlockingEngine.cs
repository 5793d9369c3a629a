using System.Text.Json.Nodes;
using Kiln.Control.Runs;
using Kiln.Domain.Runs;

namespace Kiln.Api.Tests.Support;

/// <summary>A build engine that waits until cancelled (a fake at the process boundary the pipeline will fill).</summary>
public sealed class BlockingEngine : IBuildEngine
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<BuildOutcome> BuildAsync(RunRecord run, JsonObject template, IProgress<string> progress, CancellationToken ct)
    {
        progress.Report("Building");
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
        return new BuildOutcome(RunState.Succeeded, "unreachable", null);
    }
}
