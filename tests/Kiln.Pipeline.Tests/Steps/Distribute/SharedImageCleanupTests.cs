using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Distribute.SharedImage;
using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Pipeline.Tests.Steps.Distribute;

/// <summary>
/// A gallery distribution that fails after storing its chunks (here: the version resource is
/// refused) leaves nothing behind in any region, while an existing version that shares chunks with
/// it keeps all of them. The registry is a fake at the control-plane boundary; the stores are real.
/// </summary>
public sealed class SharedImageCleanupTests : IDisposable
{
    private const int MiB = 1 << 20;
    private const string VersionId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/d/versions/2.0.0";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FailedDistribution_FreesWhatItStored_InEveryRegion_AndTheSharingSiblingSurvives()
    {
        var layout = new ArtifactLayout(Path.Combine(_dir.Path, "data"));
        var shared = Random(8 * MiB, 1);
        var sibling = shared.Concat(Random(8 * MiB, 2)).ToArray();
        var staged = shared.Concat(Random(8 * MiB, 3)).ToArray();
        await new ImageStore(layout.Region("westus2")).PublishAsync(MemoryBlockDevice.FromBytes(sibling), "sibling", null);
        await Replicator.ReplicateAsync("sibling", layout.Region("westus2"), layout.Region("eastus"));
        var before = new Dictionary<string, HashSet<string>>
        {
            ["westus2"] = await KeysAsync(layout.Region("westus2")), ["eastus"] = await KeysAsync(layout.Region("eastus")),
        };
        var stagedPath = Path.Combine(_dir.Path, "staged.raw");
        await File.WriteAllBytesAsync(stagedPath, staged);
        var distributor = new SharedImageDistributor("out", new Dictionary<string, string>(), VersionId,
            [new TargetRegion("westus2", 1, "Standard_LRS"), new TargetRegion("eastus", 1, "Standard_LRS")], [], false, null, null);
        var step = new SharedImageDistributeStep(distributor, 0, new RefusingRegistry(), layout, null);
        var log = new ListLog();
        var context = new BuildContext("run1", _dir.Path, log, TimeProvider.System) { StagedImagePath = stagedPath };

        await Assert.ThrowsAsync<InvalidOperationException>(() => step.RunAsync(context, CancellationToken.None));
        Assert.True((await KeysAsync(layout.Region("eastus"))).Count > before["eastus"].Count); // it did store its own chunks
        await step.CleanupAsync(context, BuildOutcome.Failed);

        foreach (var region in new[] { "westus2", "eastus" })
        {
            Assert.Equal(before[region], await KeysAsync(layout.Region(region)));
            var manifest = await ImageManifest.ReadAsync(layout.Region(region), "sibling");
            for (int i = 0; i < manifest.ChunkCount; i++)
                Assert.Equal(sibling.AsSpan(i * MiB, MiB).ToArray(), await layout.Region(region).GetAsync(RegionKeys.Chunk(manifest.Chunks[i]!)));
        }
        Assert.Contains(log.Lines, l => l.Contains("freed 8 objects", StringComparison.Ordinal));
    }

    private static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<HashSet<string>> KeysAsync(IRegionStore store)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var k in store.ListAsync("")) keys.Add(k);
        return keys;
    }

    /// <summary>The control plane refuses to create the version (e.g. it was made meanwhile by another build).</summary>
    private sealed class RefusingRegistry : IArtifactRegistry
    {
        public Task<IReadOnlyList<string>> ListGalleryVersionsAsync(string definitionId, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);
        public Task<string> GetDefinitionLocationAsync(string definitionId, CancellationToken ct) => Task.FromResult("westus2");
        public Task<string> CreateGalleryVersionAsync(GalleryVersionSpec spec, CancellationToken ct) =>
            throw new InvalidOperationException($"version {spec.Version} refused");
        public Task DeleteResourceAsync(string id, CancellationToken ct) => Task.CompletedTask;
        public Task<string> CreateManagedImageAsync(string imageId, string location, string blobUri, long sizeBytes, string osType,
            string hyperVGeneration, CancellationToken ct) => throw new NotSupportedException();
    }
}
