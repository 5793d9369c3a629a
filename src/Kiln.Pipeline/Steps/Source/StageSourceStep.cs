using Kiln.Pipeline.Runner;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Pipeline.Steps.Source;

/// <summary>
/// Copies the resolved source image into the run's staging folder as a sparse raw file
/// (only allocated, non-zero data is written), so later steps never touch the catalog or gallery copy.
/// </summary>
/// <param name="description">What the source is, for the log (e.g. "PlatformImage Canonical:…:1.0.0").</param>
/// <param name="open">Opens the source read-only; the step disposes it.</param>
public sealed class StageSourceStep(string description, Func<string, CancellationToken, Task<IBlockDevice>> open) : IPipelineStep
{
    public const string StagedFileName = "os-disk.raw";

    public string Name => "source";
    public BuildPhase Phase => BuildPhase.Building;

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        context.Log.Write($"source: {description}");
        string target = Path.Combine(context.StagingDirectory, StagedFileName);
        // The opener gets the staging folder for any cache it needs (a streamed gallery version hydrates there).
        await using var device = await open(context.StagingDirectory, ct).ConfigureAwait(false);
        long size = await ImageConverter.ConvertAsync(device, target, DiskImage.Raw, overwrite: true, durable: false, ct: ct).ConfigureAwait(false);
        context.StagedImagePath = target;
        context.Log.Write($"source: staged {size / (1024 * 1024)} MiB as {StagedFileName}");
    }

    // The staged copy lives in the staging folder, which the engine deletes as a whole.
    public Task CleanupAsync(BuildContext context, BuildOutcome outcome) => Task.CompletedTask;
}
