using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Storage.Formats;
using Kiln.Streaming.Store;

namespace Kiln.Pipeline.Steps.Distribute.Vhd;

/// <summary>
/// distribute[] type VHD: a fixed VHD (what Azure requires for page blobs) at <c>uri</c>: a file://
/// path, a blob URL (uploaded as a page blob, see <see cref="VhdTarget"/>), or, without a uri, a
/// kept output folder under the data dir. artifactUri names the file or the blob (without its SAS).
/// Never overwrites; a build that does not succeed removes what this step wrote.
/// </summary>
/// <param name="environment">Variable lookup for blob credentials (tests pass their own); the process environment by default.</param>
public sealed class VhdDistributeStep(VhdDistributor distributor, int index, string defaultPath, Func<string, string?>? environment = null) : IPipelineStep
{
    private string? _written;
    private PageBlobUpload? _upload;

    public string Name => $"distribute[{index}] VHD";
    public BuildPhase Phase => BuildPhase.Distributing;

    private string Field => $"distribute[{index}].uri";

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        string staged = context.StagedImagePath ?? throw new InvalidOperationException("No staged image to distribute (the source step did not run).");
        var target = VhdTarget.Classify(distributor.Uri, defaultPath, Field);
        string uri = target.BlobUri is { } blob
            ? await UploadAsync(staged, blob, context.Time, ct).ConfigureAwait(false)
            : await WriteFileAsync(staged, target.FilePath!, ct).ConfigureAwait(false);
        context.Artifacts.Add(new BuildArtifact(distributor.RunOutputName, null, uri));
        context.Log.Write($"{Name}: wrote fixed VHD {uri}");
    }

    public async Task CleanupAsync(BuildContext context, BuildOutcome outcome)
    {
        if (outcome == BuildOutcome.Succeeded) return;
        if (_written is not null)
            File.Delete(_written);
        if (_upload is not null && await _upload.DeleteAsync().ConfigureAwait(false))
            context.Log.Write($"{Name}: deleted the partial page blob {_upload.BareUri}");
    }

    private async Task<string> WriteFileAsync(string staged, string target, CancellationToken ct)
    {
        if (File.Exists(target))
            throw new IOException($"{Field}: '{target}' already exists; give a new uri (Kiln never overwrites a distributed VHD).");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        _written = target;
        await using (var image = await DiskImage.OpenAsync(staged, writable: false, ct).ConfigureAwait(false))
            await VhdWriter.CreateFixedAsync(image.Device, target, overwrite: false, ct: ct).ConfigureAwait(false);
        return new Uri(target).AbsoluteUri;
    }

    /// <summary>The fixed VHD's bytes straight into a page blob: the disk (size rounded up to a MiB, as Azure wants), then the footer.</summary>
    private async Task<string> UploadAsync(string staged, Uri blob, TimeProvider time, CancellationToken ct)
    {
        var credential = BlobCredential.For(blob, Field, environment);
        var upload = new PageBlobUpload(credential.PageBlobClient(), credential.Description, Field);
        await using var image = await DiskImage.OpenAsync(staged, writable: false, ct).ConfigureAwait(false);
        long size = VhdWriter.RoundUpToMiB(image.Device.Length);
        if (size > VhdFooter.MaxDiskSize)
            throw new IOException($"{Field}: a VHD holds at most 2040 GiB; the image is {image.Device.Length} bytes.");
        var footer = VhdFooter.Create(size, VhdDiskType.Fixed, time);
        await upload.CreateAsync(size + VhdFooter.Size, ct).ConfigureAwait(false);
        _upload = upload;
        await upload.WriteAsync(image.Device, 0, progress: null, ct).ConfigureAwait(false);
        await upload.WritePagesAsync(size, footer.ToBytes(), ct).ConfigureAwait(false);
        return upload.BareUri.AbsoluteUri;
    }
}
