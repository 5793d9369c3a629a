using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Kiln.Storage.Blocks;
using Kiln.Streaming.Hydration;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

/// <summary>The region-store contract on Azure Blob Storage (Azurite), plus what only a remote store can get wrong.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobRegionStoreTests(Azurite azurite) : RegionStoreContract
{
    protected override IRegionStore NewStore() => Store(NewContainerName());

    protected override async Task<int> LeftoversAsync(IRegionStore store)
    {
        // Uncommitted blocks of an interrupted upload would show here as uncommitted blobs.
        int n = 0;
        var container = azurite.Container(((BlobRegionStore)store).Name);
        try
        {
            await foreach (var _ in container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Uncommitted })) n++;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No container: nothing was left.
        }
        return n;
    }

    private BlobRegionStore Store(string container) => new(azurite.Container(container), "the Azurite account key", container);

    private static string NewContainerName() => "r" + Guid.NewGuid().ToString("N")[..20];

    [Fact]
    public async Task WrongAccountKey_IsRefused_WithAMessageNamingTheCredentialAndTheRole()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var store = new BlobRegionStore(azurite.Container(NewContainerName(), wrongKey), "the account key in AZURE_STORAGE_KEY");

        var e = await Assert.ThrowsAsync<RegionAccessException>(async () => await store.PutAsync("manifests/v1.json", new MemoryStream([1])));

        Assert.Contains("access denied", e.Message, StringComparison.Ordinal);
        Assert.Contains("the account key in AZURE_STORAGE_KEY", e.Message, StringComparison.Ordinal);
        Assert.Contains("Storage Blob Data Contributor", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableEndpoint_SaysSo()
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 1; // after the retries the SDK throws an AggregateException of the attempts
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var container = new BlobContainerClient(new Uri($"http://127.0.0.1:1/{Azurite.Account}/nowhere"),
            new Azure.Storage.StorageSharedKeyCredential(Azurite.Account, Azurite.Key), options);
        var store = new BlobRegionStore(container, "the Azurite account key");

        var e = await Assert.ThrowsAsync<RegionAccessException>(async () => await store.GetLengthAsync("manifests/v1.json"));

        Assert.Contains("cannot be reached", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishReplicateAndStream_ThroughABlobRegion()
    {
        const int chunk = 16 * 1024;
        var small = new PublishOptions { ChunkSize = chunk, PackSegmentSize = 32 * 1024 };
        using var dir = new TempDir();
        var west = new LocalFolderRegionStore(dir["west"], "west");
        var east = new RemoteRegionStore(Store(NewContainerName()), RemoteLinkOptions.Local);
        var image = TestImages.Random(64 * chunk, seed: 21, chunk, 2, 3);
        var profile = TestImages.Profile(image.Length, (10L * chunk, 2 * 4096));
        await new ImageStore(west).PublishAsync(MemoryBlockDevice.FromBytes(image), "v1", profile, small);

        var first = await Replicator.ReplicateAsync("v1", west, east);
        var again = await Replicator.ReplicateAsync("v1", west, east);

        Assert.Equal(62, first.ChunksCopied);
        Assert.Equal(0, again.ChunksCopied); // everything already in the blob region
        await using var device = await HydratingDevice.OpenAsync(east, "v1", dir["cache.img"]);
        Assert.Equal(image, await TestImages.ReadAllAsync(device, 0, image.Length));
    }

    [Fact]
    public async Task Locator_OpensTheContainerUrl_WithTheKeyFromTheEnvironment()
    {
        var name = NewContainerName();
        var env = new Dictionary<string, string?> { [RegionStoreLocator.AccountKeyVariable] = Azurite.Key };
        var store = RegionStoreLocator.Open(azurite.ContainerUri(name).ToString(), "--store", environment: env.GetValueOrDefault);

        await store.PutAsync("manifests/v1.json", new MemoryStream([42]));

        Assert.IsType<BlobRegionStore>(store);
        Assert.Equal(name, store.Name);
        Assert.Equal(new byte[] { 42 }, await Store(name).GetAsync("manifests/v1.json"));
    }
}
