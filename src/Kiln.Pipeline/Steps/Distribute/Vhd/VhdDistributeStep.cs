using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Storage.Formats;

namespace Kiln.Pipeline.Steps.Distribute.Vhd;

/// <summary>
/// distribute[] type VHD: a fixed VHD (what Azure requires for page blobs) at <c>uri</c> (a file://
/// path) or, without one, in a kept output folder under the data dir. artifactUri names the file.
/// </summary>
public sealed class VhdDistributeStep(VhdDistributor distributor, int index, string defaultPath) : IPipelineStep
{
    private string? _written;

    public string Name => $"distribute[{index}] VHD";
    public BuildPhase Phase => BuildPhase.Distributing;

    public static string ResolvePath(string? uri, string defaultPath)
    {
        if (string.IsNullOrEmpty(uri))
            return defaultPath;
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile)
            return parsed.LocalPath;
        throw new NotSupportedException($"distribute VHD uri '{uri}': Kiln writes VHDs to file:// paths only (or leave uri empty for the output folder).");
    }

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        string staged = context.StagedImagePath ?? throw new InvalidOperationException("No staged image to distribute (the source step did not run).");
        string target = ResolvePath(distributor.Uri, defaultPath);
        if (File.Exists(target))
            throw new IOException($"distribute VHD: '{target}' already exists; give a new uri (Kiln never overwrites a distributed VHD).");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        _written = target;
        await using (var image = await DiskImage.OpenAsync(staged, writable: false, ct).ConfigureAwait(false))
            await VhdWriter.CreateFixedAsync(image.Device, target, overwrite: false, ct: ct).ConfigureAwait(false);
        string uri = new Uri(target).AbsoluteUri;
        context.Artifacts.Add(new BuildArtifact(distributor.RunOutputName, null, uri));
        context.Log.Write($"{Name}: wrote fixed VHD {uri}");
    }

    public Task CleanupAsync(BuildContext context, BuildOutcome outcome)
    {
        if (outcome != BuildOutcome.Succeeded && _written is not null)
            File.Delete(_written);
        return Task.CompletedTask;
    }
}
