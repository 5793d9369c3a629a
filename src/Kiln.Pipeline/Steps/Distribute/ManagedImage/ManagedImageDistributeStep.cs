using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Storage.Formats;

namespace Kiln.Pipeline.Steps.Distribute.ManagedImage;

/// <summary>
/// distribute[] type ManagedImage: a sparse raw copy of the staged image under the data folder and
/// a Microsoft.Compute/images resource whose osDisk.blobUri points at it (created last).
/// </summary>
public sealed class ManagedImageDistributeStep(ManagedImageDistributor distributor, int index, IArtifactRegistry registry, ArtifactLayout layout)
    : IPipelineStep
{
    private string? _file;
    private string? _createdId;

    public string Name => $"distribute[{index}] ManagedImage";
    public BuildPhase Phase => BuildPhase.Distributing;

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        string staged = context.StagedImagePath ?? throw new InvalidOperationException("No staged image to distribute (the source step did not run).");
        string target = layout.ManagedImagePath(distributor.ImageId);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temp = target + ".writing";
        _file = temp;
        long size = await ImageConverter.ConvertAsync(staged, temp, DiskImage.Raw, overwrite: true, ct: ct).ConfigureAwait(false);
        File.Move(temp, target, overwrite: true);
        _file = target;
        // The resource reports what the disk really is (Gen1 BIOS vs Gen2 UEFI), as Azure's managed images do.
        Kiln.Storage.Inspection.ImageFacts facts;
        await using (var image = await DiskImage.OpenAsync(target, ct: ct).ConfigureAwait(false))
            facts = await Kiln.Storage.Inspection.ImageInspector.InspectAsync(image, ct).ConfigureAwait(false);
        string osType = facts.OsType == Kiln.Storage.Inspection.OsType.Windows ? "Windows" : "Linux";
        _createdId = await registry.CreateManagedImageAsync(distributor.ImageId, distributor.Location, new Uri(target).AbsoluteUri, size,
            osType, facts.HyperVGeneration.ToString(), ct).ConfigureAwait(false);
        context.Artifacts.Add(new BuildArtifact(distributor.RunOutputName, _createdId, null));
        context.Log.Write($"{Name}: created {_createdId} ({size / (1024 * 1024)} MiB at {target})");
    }

    public async Task CleanupAsync(BuildContext context, BuildOutcome outcome)
    {
        if (outcome == BuildOutcome.Succeeded)
            return;
        if (_createdId is not null)
            await registry.DeleteResourceAsync(_createdId, CancellationToken.None).ConfigureAwait(false);
        if (_file is not null)
            File.Delete(_file);
    }
}
