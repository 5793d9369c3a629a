using Kiln.Optimization;
using Kiln.Pipeline.Runner;

namespace Kiln.Pipeline.Steps.Optimize;

/// <summary>
/// optimize.vmBoot Enabled: records the boot profile of the (generalized) staged image — its first
/// boot, as a VM created from the version would do it — with <see cref="BootOptimizer"/>. The
/// distribute step stores the profile's boot pack with the version. QEMU, its NBD socket and overlay
/// live in the optimizer's private temp folder (the system temp: a unix socket path must stay under
/// 108 characters, which a staging path under a deep data folder does not), removed on every ending.
/// </summary>
public sealed class OptimizeStep(BootOptimizerOptions? options = null) : IPipelineStep
{
    public string Name => "optimize vmBoot";
    public BuildPhase Phase => BuildPhase.Optimizing;

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        string staged = context.StagedImagePath ?? throw new InvalidOperationException("No staged image to optimize (the source step did not run).");
        var effective = (options ?? new BootOptimizerOptions { Boots = 1 }) with
        {
            Log = line => context.Log.Write($"optimize: {line}"),
        };
        BootOptimizationResult result;
        try
        {
            result = await BootOptimizer.OptimizeAsync(staged, effective, ct).ConfigureAwait(false);
        }
        catch (ImageNotEligibleException e)
        {
            throw new BuildStepException("SourceImageNotEligible", e.Message);
        }
        context.BootProfile = result.Profile;
        context.Log.Write($"optimize: boot profile of {result.Profile.Extents.Count} extents, working set {result.Profile.WorkingSetBytes} bytes " +
                          $"({result.Generation}, {result.Profile.Boots.Count} boot(s))");
    }

    // BootOptimizer removes its own temp folder on every path; the profile is only data in the context.
    public Task CleanupAsync(BuildContext context, BuildOutcome outcome) => Task.CompletedTask;
}
