namespace Kiln.Pipeline.Runner;

/// <summary>
/// Runs steps in order with a cleanup stack: every step that started is cleaned up, in
/// reverse, whatever the ending (success, failure, cancel, timeout).
///
///   run:      source → customize → optimize → distribute ✗
///   cleanup:           distribute ← optimize ← customize ← source
/// </summary>
public sealed class PipelineRunner(TimeProvider time)
{
    /// <param name="timeout">The build timeout (buildTimeoutInMinutes); <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    public async Task<BuildResult> RunAsync(
        IReadOnlyList<IPipelineStep> steps, BuildContext context, TimeSpan timeout, CancellationToken ct)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        var started = new Stack<IPipelineStep>();
        BuildOutcome outcome = BuildOutcome.Succeeded;
        IPipelineStep? current = null;
        Exception? error = null;

        try
        {
            foreach (var step in steps)
            {
                linked.Token.ThrowIfCancellationRequested();
                current = step;
                started.Push(step);
                context.Log.Write($"[{step.Phase}] {step.Name}: started");
                long t0 = time.GetTimestamp();
                await step.RunAsync(context, linked.Token).ConfigureAwait(false);
                double seconds = time.GetElapsedTime(t0).TotalSeconds;
                context.PhaseSeconds[step.Phase] = context.PhaseSeconds.GetValueOrDefault(step.Phase) + seconds;
                context.Log.Write($"[{step.Phase}] {step.Name}: finished in {seconds:F1} s");
            }
            current = null;
        }
        catch (OperationCanceledException e) when (linked.IsCancellationRequested)
        {
            outcome = timeoutCts.IsCancellationRequested && !ct.IsCancellationRequested ? BuildOutcome.TimedOut : BuildOutcome.Canceled;
            error = outcome == BuildOutcome.TimedOut
                ? new TimeoutException($"The build exceeded its timeout of {timeout.TotalMinutes:0.#} minutes (buildTimeoutInMinutes).", e)
                : e;
            context.Log.Write($"{current?.Name ?? "build"}: {(outcome == BuildOutcome.TimedOut ? "timed out" : "canceled")}");
        }
        catch (Exception e)
        {
            outcome = BuildOutcome.Failed;
            error = e;
            context.Log.Write($"{current?.Name}: failed: {e.Message}");
        }

        var cleanupErrors = new List<string>();
        while (started.TryPop(out var step))
        {
            try
            {
                await step.CleanupAsync(context, outcome).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failed cleanup is reported but never replaces the build's own error.
                cleanupErrors.Add($"{step.Name}: {e.Message}");
                context.Log.Write($"{step.Name}: cleanup failed: {e.Message}");
            }
        }
        return new BuildResult(outcome, current?.Name, error, cleanupErrors);
    }
}
