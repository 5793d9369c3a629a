using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute.Vhd;
using Kiln.Storage.Formats;
using Kiln.Streaming.Store;
using Kiln.Streaming.Tests.Store;

namespace Kiln.Pipeline.Tests.Steps.Distribute;

/// <summary>distribute[] VHD to a blob URL, against Azurite: the page blob, refusal to overwrite, cleanup and credential errors.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class VhdBlobDistributeTests(Azurite azurite) : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BlobUri_UploadsASparseFixedVhdPageBlob_ThatReadsBackAsTheImage()
    {
        var container = await NewContainerAsync();
        var image = new byte[12 * MiB + 1000]; // not a whole MiB: the VHD rounds it up
        new Random(7).NextBytes(image.AsSpan(0, MiB));
        new Random(8).NextBytes(image.AsSpan(8 * MiB + 5, 3000));
        new Random(9).NextBytes(image.AsSpan(image.Length - 700));
        var (step, context) = await StepAsync(image, BlobUri(container, "golden.vhd"));

        await step.RunAsync(context, CancellationToken.None);
        await step.CleanupAsync(context, BuildOutcome.Succeeded);

        var blob = azurite.Container(container).GetPageBlobClient("golden.vhd");
        var props = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(BlobType.Page, props.BlobType);
        Assert.Equal(13L * MiB + VhdFooter.Size, props.ContentLength);
        Assert.Equal(BlobUri(container, "golden.vhd"), Assert.Single(context.Artifacts).ArtifactUri);

        var downloaded = Path.Combine(_dir.Path, "downloaded.vhd");
        await blob.DownloadToAsync(downloaded);
        await using (var vhd = await DiskImage.OpenAsync(downloaded))
        {
            Assert.Equal(13L * MiB, vhd.Device.Length);
            var back = new byte[13 * MiB];
            await vhd.Device.ReadAsync(0, back);
            Assert.Equal(image, back.AsSpan(0, image.Length).ToArray());
            Assert.All(back.AsSpan(image.Length).ToArray(), b => Assert.Equal(0, b));
        }
        var written = new List<HttpRangeLike>();
        await foreach (var page in blob.GetAllPageRangesAsync())
            if (!page.IsClear) written.Add(new HttpRangeLike(page.Range.Offset, page.Range.Length ?? 0));
        Assert.DoesNotContain(written, r => r.Offset < 8L * MiB && r.Offset + r.Length > 4L * MiB); // the all-zero 4 MiB range was skipped
    }

    [Fact]
    public async Task ExistingBlob_IsRefused_AndLeftUntouched()
    {
        var container = await NewContainerAsync();
        var existing = azurite.Container(container).GetBlobClient("golden.vhd");
        await existing.UploadAsync(new BinaryData("someone else's disk"));
        var (step, context) = await StepAsync(new byte[MiB], BlobUri(container, "golden.vhd"));

        var e = await Assert.ThrowsAsync<IOException>(() => step.RunAsync(context, CancellationToken.None));
        await step.CleanupAsync(context, BuildOutcome.Failed);

        Assert.Contains("distribute[0].uri", e.Message, StringComparison.Ordinal);
        Assert.Contains("already exists; give a new uri", e.Message, StringComparison.Ordinal);
        Assert.Equal("someone else's disk", (await existing.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task FailedBuild_CleanupDeletesTheBlobTheStepUploaded()
    {
        var container = await NewContainerAsync();
        var (step, context) = await StepAsync(new byte[MiB], BlobUri(container, "golden.vhd"));
        await step.RunAsync(context, CancellationToken.None);
        var blob = azurite.Container(container).GetBlobClient("golden.vhd");
        Assert.True((await blob.ExistsAsync()).Value);

        await step.CleanupAsync(context, BuildOutcome.Failed); // a later step failed

        Assert.False((await blob.ExistsAsync()).Value);
    }

    [Fact]
    public async Task WrongAccountKey_SaysWhichCredentialAndWhatRole()
    {
        var container = await NewContainerAsync();
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var (step, context) = await StepAsync(new byte[MiB], BlobUri(container, "golden.vhd"), wrongKey);

        var e = await Assert.ThrowsAsync<BlobAccessException>(() => step.RunAsync(context, CancellationToken.None));

        Assert.Contains("distribute[0].uri", e.Message, StringComparison.Ordinal);
        Assert.Contains("access denied", e.Message, StringComparison.Ordinal);
        Assert.Contains($"the account key of '{Azurite.Account}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Storage Blob Data Contributor", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, e.Message, StringComparison.Ordinal);
        Assert.False((await azurite.Container(container).GetBlobClient("golden.vhd").ExistsAsync()).Value);
    }

    [Fact]
    public async Task MissingContainer_SaysToCreateIt()
    {
        var (step, context) = await StepAsync(new byte[MiB], BlobUri("nosuchcontainer", "golden.vhd"));

        var e = await Assert.ThrowsAsync<BlobAccessException>(() => step.RunAsync(context, CancellationToken.None));

        Assert.Contains("distribute[0].uri", e.Message, StringComparison.Ordinal);
        Assert.Contains("container 'nosuchcontainer' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("az storage container create", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredential_SaysHowToGiveOne()
    {
        var (step, context) = await StepAsync(new byte[MiB], BlobUri("vhds", "golden.vhd"), key: null);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => step.RunAsync(context, CancellationToken.None));

        Assert.Contains("distribute[0].uri", e.Message, StringComparison.Ordinal);
        Assert.Contains("no credential", e.Message, StringComparison.Ordinal);
        Assert.Contains(BlobCredential.AccountKeyVariable, e.Message, StringComparison.Ordinal);
    }

    private readonly record struct HttpRangeLike(long Offset, long Length);

    private string BlobUri(string container, string name) => $"{azurite.ContainerUri(container)}/{name}";

    private async Task<string> NewContainerAsync()
    {
        string name = "v" + Guid.NewGuid().ToString("N")[..20];
        await azurite.Container(name).CreateAsync();
        return name;
    }

    private async Task<(VhdDistributeStep, BuildContext)> StepAsync(byte[] image, string uri, string? key = Azurite.Key)
    {
        var staged = Path.Combine(_dir.Path, "staged.raw");
        await File.WriteAllBytesAsync(staged, image);
        var distributor = new VhdDistributor("out", new Dictionary<string, string>(), uri);
        var step = new VhdDistributeStep(distributor, 0, Path.Combine(_dir.Path, "unused.vhd"),
            name => name == BlobCredential.AccountKeyVariable ? key : null);
        var context = new BuildContext("run1", _dir.Path, new ListLog(), TimeProvider.System) { StagedImagePath = staged };
        return (step, context);
    }
}
