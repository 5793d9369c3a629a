using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using Kiln.Domain.Arm;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Storage.Blocks;
using Kiln.Storage.Profiles;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Api.Tests;

/// <summary>
/// Deleting a gallery image version through the API (directly, or with its resource group) frees its
/// storage in every region it was replicated to, while a sibling that shares chunks with it still
/// reads back byte for byte. The versions' data is published the way the distribute step does
/// (home region, then replicas; manifest named after the version id); no VM boots.
/// </summary>
public sealed class VersionStorageTests
{
    private const int Chunk = 64 * 1024;
    private const string ComputeV = "?api-version=2022-03-03";
    private static readonly PublishOptions Small = new() { ChunkSize = Chunk, PackSegmentSize = 256 * 1024 };

    [Fact]
    public async Task DeletingAVersion_FreesItsRegionStorage_AndTheSiblingSharingChunksReadsBackIdentical()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        var layout = new ArtifactLayout(kiln.DataDir);
        var v1 = Image(seed: 1, shared: 11);
        var v2 = Image(seed: 2, shared: 11); // first half equal to v1's
        var m1 = await CreateVersionAsync(kiln, layout, s.DefinitionId, "1.0.0", v1);
        var m2 = await CreateVersionAsync(kiln, layout, s.DefinitionId, "2.0.0", v2);
        var onlyV1 = m1.Chunks.Except(m2.Chunks).Select(h => RegionKeys.Chunk(h!)).Append(RegionKeys.Pack(m1.BootPack!.Id)).ToList();
        Assert.Equal(15, onlyV1.Count); // the 14 non-zero chunks of its own half, and its boot pack

        Assert.Equal(202, (await kiln.SendAsync(HttpMethod.Delete, s.DefinitionId + "/versions/1.0.0" + ComputeV)).Status);

        foreach (var region in new[] { "westus2", "eastus" })
        {
            var store = layout.Region(region);
            Assert.False(await store.ExistsAsync(RegionKeys.Manifest(ArtifactLayout.ManifestName(s.DefinitionId + "/versions/1.0.0"))));
            foreach (var key in onlyV1)
                Assert.False(await store.ExistsAsync(key), $"{region}: {key} of the deleted version is still stored");
            Assert.Equal(v2, await ReadBackAsync(store, ArtifactLayout.ManifestName(s.DefinitionId + "/versions/2.0.0")));
            Assert.Equal(32, await CountAsync(store, "")); // v2: 30 non-zero chunks, its pack and its manifest
        }
    }

    [Fact]
    public async Task DeletingTheResourceGroup_FreesTheStorageOfEveryVersionInIt()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        var layout = new ArtifactLayout(kiln.DataDir);
        await CreateVersionAsync(kiln, layout, s.DefinitionId, "1.0.0", Image(seed: 1, shared: 11));
        await CreateVersionAsync(kiln, layout, s.DefinitionId, "2.0.0", Image(seed: 2, shared: 11));
        Assert.True(await CountAsync(layout.Region("eastus"), "") > 0);

        Assert.Equal(202, (await kiln.SendAsync(HttpMethod.Delete, kiln.Rg(s.Rg) + "?api-version=2021-04-01")).Status);

        foreach (var region in new[] { "westus2", "eastus" })
            Assert.Equal(0, await CountAsync(layout.Region(region), ""));
    }

    /// <summary>32 chunks' worth: the first 16 from <paramref name="shared"/>, the rest from <paramref name="seed"/>, except two zero chunks.</summary>
    private static byte[] Image(int seed, int shared)
    {
        var image = new byte[32 * Chunk];
        new Random(shared).NextBytes(image.AsSpan(0, 16 * Chunk));
        new Random(seed).NextBytes(image.AsSpan(16 * Chunk));
        image.AsSpan(20 * Chunk, 2 * Chunk).Clear();
        return image;
    }

    private static async Task<ImageManifest> CreateVersionAsync(TestKiln kiln, ArtifactLayout layout, string definitionId, string version, byte[] image)
    {
        string manifest = ArtifactLayout.ManifestName($"{definitionId}/versions/{version}");
        var profile = new BootProfile // the boot pack spans a shared and an own chunk, so each version has its own pack
        {
            Image = new BootProfileImage { SizeBytes = image.Length, ContentId = version },
            Boots = [],
            WorkingSetBytes = 2 * Chunk,
            Extents = [[15L * Chunk, 2L * Chunk]],
        };
        var home = layout.Region("westus2");
        var published = await new ImageStore(home).PublishAsync(MemoryBlockDevice.FromBytes(image), manifest, profile, Small);
        await Replicator.ReplicateAsync(manifest, home, layout.Region("eastus"));
        ResourceId.TryParse(definitionId, out var definition);
        await kiln.Server.Plane.ImageVersions.CreateAsync(definition, version, new JsonObject
        {
            ["publishingProfile"] = new JsonObject
            {
                ["targetRegions"] = new JsonArray(new JsonObject { ["name"] = "West US 2" }, new JsonObject { ["name"] = "East US" }),
            },
            ["kiln"] = new JsonObject { ["manifest"] = manifest },
        }, "test", CancellationToken.None);
        return published.Manifest;
    }

    private static async Task<byte[]> ReadBackAsync(IRegionStore store, string manifestName)
    {
        var manifest = await ImageManifest.ReadAsync(store, manifestName);
        var image = new byte[manifest.ImageSize];
        for (int i = 0; i < manifest.ChunkCount; i++)
            if (manifest.Chunks[i] is { } hash)
                (await store.GetAsync(RegionKeys.Chunk(hash))).CopyTo(image, (long)i * manifest.ChunkSize);
        return image;
    }

    private static async Task<int> CountAsync(IRegionStore store, string prefix)
    {
        int n = 0;
        await foreach (var _ in store.ListAsync(prefix)) n++;
        return n;
    }
}
