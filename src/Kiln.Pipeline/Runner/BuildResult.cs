namespace Kiln.Pipeline.Runner;

/// <param name="FailedStep">The step that failed or was running at cancel/timeout; null on success.</param>
/// <param name="Error">What went wrong, for the run's message; null on success.</param>
/// <param name="CleanupErrors">Cleanups that failed (logged; they never hide the build's own error).</param>
public sealed record BuildResult(BuildOutcome Outcome, string? FailedStep, Exception? Error, IReadOnlyList<string> CleanupErrors);
