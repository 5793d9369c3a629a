using System.Text.Json.Nodes;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Control.Galleries;

/// <summary>
/// Image versions are made by builds, not by clients: the pipeline calls <see cref="CreateAsync"/>
/// when it distributes to a gallery, and <see cref="RecordRunOutputAsync"/> for the template's
/// runOutputs. The Api only reads, lists and deletes them.
/// </summary>
public sealed class GalleryImageVersions(IResourceStore store, TimeProvider clock)
{
    /// <param name="definitionId">…/galleries/{g}/images/{def}; it must exist.</param>
    /// <param name="properties">publishingProfile, storageProfile…; provisioningState and replicationStatus are filled in when absent.</param>
    public async Task<StoredResource> CreateAsync(ResourceId definitionId, string version, JsonObject properties, string createdBy,
        CancellationToken ct)
    {
        if (definitionId.Type != ResourceTypes.GalleryImage)
            throw KilnException.BadRequest("InvalidResourceId", $"'{definitionId}' is not a gallery image definition id.", "definitionId");
        if (ArmNames.Check(ResourceTypes.GalleryImageVersion, version) is { } problem)
            throw KilnException.BadRequest("InvalidResourceName", problem, "version");
        var definition = await store.GetAsync(definitionId.Key, ct)
            ?? throw KilnException.NotFound("ParentResourceNotFound", $"Image definition '{definitionId}' does not exist.");
        var id = definitionId.Child("versions", version);
        var props = (JsonObject)properties.DeepClone();
        props["provisioningState"] ??= "Succeeded";
        props["replicationStatus"] ??= new JsonObject { ["aggregatedState"] = "Completed", ["summary"] = new JsonArray() };
        var body = new JsonObject
        {
            ["location"] = definition.Body["location"]?.DeepClone(),
            ["tags"] = new JsonObject(),
            ["properties"] = props,
        };
        var stored = ResourceEnvelope.Create(id, body, createdBy, "Application", clock.GetUtcNow());
        if (!await store.InsertAsync(stored, ct))
            throw KilnException.Conflict("ImageVersionExists", $"Image version '{id}' already exists.");
        return stored;
    }

    /// <summary>Records templateId/runOutputs/{name} (artifactId = image or version id; artifactUri = VHD URL).</summary>
    public async Task<StoredResource> RecordRunOutputAsync(ResourceId templateId, string runOutputName, string? artifactId,
        string? artifactUri, CancellationToken ct)
    {
        var id = templateId.Child("runOutputs", runOutputName);
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["artifactId"] = artifactId,
                ["artifactUri"] = artifactUri,
                ["provisioningState"] = "Succeeded",
            },
        };
        var previous = await store.GetAsync(id.Key, ct);
        var stored = ResourceEnvelope.Create(id, body, "kiln", "Application", clock.GetUtcNow(), previous);
        stored.Body.Remove("systemData");
        await store.UpsertAsync(stored, ct);
        return stored;
    }
}
