using System.Text.Json.Nodes;
using Kiln.Control.Galleries;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute;

namespace Kiln.Control.Builds;

/// <summary>The control plane's side of distribution: gallery versions and managed images as stored ARM resources.</summary>
public sealed class StoreArtifactRegistry(IResourceStore store, GalleryImageVersions versions, TimeProvider clock) : IArtifactRegistry
{
    public async Task<IReadOnlyList<string>> ListGalleryVersionsAsync(string definitionId, CancellationToken ct)
    {
        var id = Parse(definitionId);
        var list = await store.ListAsync(ResourceTypes.GalleryImageVersion, id.Key, ct);
        return list.Select(v => v.Body["name"]?.GetValue<string>() ?? "").ToList();
    }

    public async Task<string> GetDefinitionLocationAsync(string definitionId, CancellationToken ct)
    {
        var definition = await store.GetAsync(Parse(definitionId).Key, ct)
            ?? throw new BuildStepException("ParentResourceNotFound", $"Image definition '{definitionId}' does not exist.");
        return definition.Body["location"]?.GetValue<string>()
            ?? throw new BuildStepException("ParentResourceNotFound", $"Image definition '{definitionId}' has no location.");
    }

    public async Task<string> CreateGalleryVersionAsync(GalleryVersionSpec spec, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToString("O");
        var targetRegions = new JsonArray(spec.Replicas.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name, ["regionalReplicaCount"] = r.ReplicaCount, ["storageAccountType"] = r.StorageAccountType,
        }).ToArray());
        var summary = new JsonArray(spec.Replicas.Select(r => (JsonNode)new JsonObject
        {
            ["region"] = r.Name, ["state"] = "Completed", ["details"] = "", ["progress"] = 100,
        }).ToArray());
        var properties = new JsonObject
        {
            ["publishingProfile"] = new JsonObject
            {
                ["targetRegions"] = targetRegions,
                ["replicaCount"] = spec.Replicas[0].ReplicaCount,
                ["excludeFromLatest"] = spec.ExcludeFromLatest,
                ["publishedDate"] = now,
                ["storageAccountType"] = spec.StorageAccountType,
                ["replicationMode"] = "Full",
            },
            ["storageProfile"] = new JsonObject
            {
                ["osDiskImage"] = new JsonObject
                {
                    ["sizeInGB"] = (int)Math.Ceiling(spec.SizeBytes / (1024.0 * 1024 * 1024)),
                    ["hostCaching"] = "ReadWrite",
                },
            },
            ["safetyProfile"] = new JsonObject { ["allowDeletionOfReplicatedLocations"] = true },
            ["replicationStatus"] = new JsonObject { ["aggregatedState"] = "Completed", ["summary"] = summary },
            // Kiln's streaming facts: which manifest holds the data, and whether a boot pack rides along.
            ["kiln"] = new JsonObject
            {
                ["manifest"] = spec.ManifestName,
                ["imageSizeBytes"] = spec.SizeBytes,
                ["vmBootOptimized"] = spec.Optimized,
                ["bootPackBytes"] = spec.BootPackBytes,
                ["optimizationSeconds"] = spec.OptimizationSeconds,
            },
        };
        var created = await versions.CreateAsync(Parse(spec.DefinitionId), spec.Version, properties, "kiln", ct);
        if (spec.Tags.Count > 0)
        {
            var body = (JsonObject)created.Body.DeepClone();
            body["tags"] = new JsonObject(spec.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
            await store.UpsertAsync(created with { Body = body }, ct);
        }
        return created.Id;
    }

    public async Task DeleteResourceAsync(string id, CancellationToken ct) => await store.DeleteTreeAsync(Parse(id).Key, ct);

    public async Task<string> CreateManagedImageAsync(string imageId, string location, string blobUri, long sizeBytes, string osType,
        string hyperVGeneration, CancellationToken ct)
    {
        var id = Parse(imageId);
        var body = new JsonObject
        {
            ["location"] = location,
            ["tags"] = new JsonObject(),
            ["properties"] = new JsonObject
            {
                ["storageProfile"] = new JsonObject
                {
                    ["osDisk"] = new JsonObject
                    {
                        ["osType"] = osType, ["osState"] = "Generalized", ["blobUri"] = blobUri,
                        ["diskSizeGB"] = (int)Math.Ceiling(sizeBytes / (1024.0 * 1024 * 1024)), ["caching"] = "ReadWrite",
                        ["storageAccountType"] = "Standard_LRS",
                    },
                    ["dataDisks"] = new JsonArray(),
                    ["zoneResilient"] = false,
                },
                ["hyperVGeneration"] = hyperVGeneration,
                ["provisioningState"] = "Succeeded",
            },
        };
        var previous = await store.GetAsync(id.Key, ct);
        await store.UpsertAsync(ResourceEnvelope.Create(id, body, "kiln", "Application", clock.GetUtcNow(), previous), ct);
        return id.ToString();
    }

    private static ResourceId Parse(string id) =>
        ResourceId.TryParse(id, out var parsed) ? parsed : throw new BuildStepException("InvalidResourceId", $"'{id}' is not a resource id.");
}
