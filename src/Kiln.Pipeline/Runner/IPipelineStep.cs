namespace Kiln.Pipeline.Runner;

/// <summary>
/// One unit of a build (a source, customizer, generalizer, optimizer, validator or distributor).
/// <see cref="RunAsync"/> does the work; <see cref="CleanupAsync"/> undoes only what this step's
/// run did (the runner calls it for every step that started, in reverse order).
/// </summary>
public interface IPipelineStep
{
    /// <summary>Shown in logs and errors, e.g. "customize[0] Shell".</summary>
    string Name { get; }

    /// <summary>The run sub-state reported while this step runs.</summary>
    BuildPhase Phase { get; }

    Task RunAsync(BuildContext context, CancellationToken ct);

    /// <summary>
    /// Undoes this step's effects. <paramref name="outcome"/> lets a step keep what a successful
    /// build produced (a distributed version) while still removing what is only scaffolding.
    /// Must not throw for "already gone"; must not use a cancelled token.
    /// </summary>
    Task CleanupAsync(BuildContext context, BuildOutcome outcome);
}
