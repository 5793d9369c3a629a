using System.Text.Json.Nodes;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Streaming.Collection;

namespace Kiln.Control.Galleries;

/// <summary>
/// Deleting resources frees the region storage of the gallery image versions among them: a version
/// deleted directly, or by its resource group's cascade. The versions are read before the tree goes
/// (afterwards nobody knows their manifests), then each manifest is deleted in every region of the
/// data folder that has it, and those regions are collected (<see cref="VersionStorage"/>): chunks a
/// remaining version shares stay.
/// </summary>
public sealed class GalleryVersionStorage(IResourceStore store, string? dataDirectory, Action<string> log)
{
    /// <summary>Deletes the resource at <paramref name="key"/> and everything below it, then frees the storage of the versions that went.</summary>
    public async Task<int> DeleteTreeAsync(string key, CancellationToken ct)
    {
        var versions = new List<StoredResource>(await store.ListAsync(ResourceTypes.GalleryImageVersion, key, ct));
        if (await store.GetAsync(key, ct) is { } root && string.Equals(root.Type, ResourceTypes.GalleryImageVersion, StringComparison.OrdinalIgnoreCase))
            versions.Add(root);
        int deleted = await store.DeleteTreeAsync(key, ct);
        // The resources are gone: finish freeing even when the request is dropped, or the chunks would leak.
        foreach (var version in versions)
            await FreeAsync(version, CancellationToken.None);
        return deleted;
    }

    private async Task FreeAsync(StoredResource version, CancellationToken ct)
    {
        if (dataDirectory is null) return;
        string manifest = ManifestOf(version);
        try
        {
            var reports = await new VersionStorage(new ArtifactLayout(dataDirectory)).RemoveAsync(manifest, ct);
            foreach (var r in reports)
                log($"deleted {version.Id}: region {r.Region}: freed {r.FreedObjects} objects ({r.FreedBytes} bytes), kept {r.KeptObjects} ({r.KeptBytes} bytes)");
        }
        catch (CollectionException e)
        {
            // The version's manifest is gone already; what it alone used stays until the region is collected again.
            log($"deleted {version.Id}, but its region storage was not freed: {e.Message}");
        }
    }

    /// <summary>The manifest the distribution recorded (properties.kiln.manifest), else the name derived from the id.</summary>
    private static string ManifestOf(StoredResource version) =>
        version.Body["properties"]?["kiln"]?["manifest"] is JsonValue v && v.TryGetValue(out string? name) && !string.IsNullOrEmpty(name)
            ? name
            : ArtifactLayout.ManifestName(version.Id);
}
