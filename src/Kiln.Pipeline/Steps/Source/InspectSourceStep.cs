using Kiln.Pipeline.Runner;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;

namespace Kiln.Pipeline.Steps.Source;

/// <summary>
/// Inspects the staged image before anything boots it: the facts go to the log, and with
/// optimize.vmBoot Enabled an ineligible image fails the run with the inspection's reasons.
/// </summary>
public sealed class InspectSourceStep(bool optimize) : IPipelineStep
{
    public const string NotEligible = "SourceImageNotEligible";

    public string Name => "inspect source";
    public BuildPhase Phase => BuildPhase.Building;

    public ImageFacts? Facts { get; private set; }

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        string staged = context.StagedImagePath ?? throw new InvalidOperationException("No staged image to inspect (the source step did not run).");
        await using var image = await DiskImage.OpenAsync(staged, writable: false, ct).ConfigureAwait(false);
        var facts = await ImageInspector.InspectAsync(image, ct).ConfigureAwait(false);
        Facts = facts;
        context.Log.Write($"inspect: {facts.OsType} {facts.Distro ?? ""} {facts.HyperVGeneration} {facts.Architecture}, {facts.OsState}, " +
                          $"{facts.VirtualSizeBytes / (1024 * 1024)} MiB, vmBoot eligible: {facts.VmBootOptimization.Eligible}");
        if (optimize && !facts.VmBootOptimization.Eligible)
            throw new BuildStepException(NotEligible,
                "The source image is not eligible for VM boot optimization (optimize.vmBoot.state is Enabled): " +
                string.Join("; ", facts.VmBootOptimization.Reasons) + ". Disable optimize.vmBoot or use an eligible image.");
    }

    public Task CleanupAsync(BuildContext context, BuildOutcome outcome) => Task.CompletedTask;
}
