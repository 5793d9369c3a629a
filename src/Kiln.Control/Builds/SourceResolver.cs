using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Pipeline.Steps.Distribute;
using Kiln.Pipeline.Steps.Source;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;
using Kiln.Streaming.Hydration;

namespace Kiln.Control.Builds;

/// <summary>
/// Turns properties.source into data: a platform image from the local catalog ("latest" = highest),
/// a gallery version ("latest" = highest not excluded from latest) streamed from its region store,
/// or a managed image's OS disk file.
/// </summary>
public sealed class SourceResolver(IResourceStore store, PlatformImageCatalog catalog, ArtifactLayout layout)
{
    public const string SourceNotFound = "SourceImageNotFound";

    public async Task<ResolvedSource> ResolveAsync(ImageSource source, CancellationToken ct)
    {
        switch (source)
        {
            case PlatformImageSource p:
            {
                (string path, string exact) resolved;
                try
                {
                    resolved = catalog.Resolve(p.Publisher, p.Offer, p.Sku, p.Version);
                }
                catch (FileNotFoundException e)
                {
                    throw new BuildStepException(SourceNotFound, e.Message);
                }
                return new ResolvedSource($"PlatformImage {p.Publisher}:{p.Offer}:{p.Sku}:{resolved.exact}", OpenFile(resolved.path),
                    resolved.exact, null, VersionOf(resolved.exact));
            }
            case SharedImageVersionSource s:
                return await ResolveGalleryVersionAsync(s, ct);
            case ManagedImageSource m:
            {
                var image = ResourceId.TryParse(m.ImageId, out var id) ? await store.GetAsync(id.Key, ct) : null;
                string? blob = image?.Body["properties"]?["storageProfile"]?["osDisk"]?["blobUri"]?.GetValue<string>();
                if (blob is null || !Uri.TryCreate(blob, UriKind.Absolute, out var uri) || !uri.IsFile || !File.Exists(uri.LocalPath))
                    throw new BuildStepException(SourceNotFound, $"Managed image '{m.ImageId}' does not exist or has no OS disk file.");
                return new ResolvedSource($"ManagedImage {image!.Id}", OpenFile(uri.LocalPath), null, image.Id, null);
            }
            default:
                throw new BuildStepException("InvalidSource", $"Source type '{source.Type}' is not supported.");
        }
    }

    private async Task<ResolvedSource> ResolveGalleryVersionAsync(SharedImageVersionSource s, CancellationToken ct)
    {
        if (!ResourceId.TryParse(s.ImageDefinitionId, out var definitionId))
            throw new BuildStepException(SourceNotFound, $"'{s.ImageVersionId}' is not a gallery image version id.");
        var versions = await store.ListAsync(ResourceTypes.GalleryImageVersion, definitionId.Key, ct);
        StoredResource? chosen = s.IsLatest
            ? versions.Where(v => v.Body["properties"]?["publishingProfile"]?["excludeFromLatest"]?.GetValue<bool>() != true)
                .OrderByDescending(v => v.Body["name"]?.GetValue<string>(), VersionComparer.Instance).FirstOrDefault()
            : versions.FirstOrDefault(v => string.Equals(v.Body["name"]?.GetValue<string>(), s.Version, StringComparison.OrdinalIgnoreCase));
        if (chosen is null)
            throw new BuildStepException(SourceNotFound, s.IsLatest
                ? $"Image definition '{s.ImageDefinitionId}' has no version that is not excluded from latest."
                : $"Gallery image version '{s.ImageVersionId}' does not exist.");
        string location = chosen.Body["location"]?.GetValue<string>() ?? throw new BuildStepException(SourceNotFound, $"'{chosen.Id}' has no location.");
        string manifest = ArtifactLayout.ManifestName(chosen.Id);
        var region = layout.Region(location);
        string name = chosen.Body["name"]!.GetValue<string>();
        return new ResolvedSource($"SharedImageVersion {chosen.Id} (streamed from {location})",
            async (staging, token) => await HydratingDevice.OpenAsync(region, manifest, Path.Combine(staging, "source.cache"), null, token),
            null, chosen.Id, VersionOf(name));
    }

    private static Func<string, CancellationToken, Task<IBlockDevice>> OpenFile(string path) =>
        async (_, ct) => (await DiskImage.OpenAsync(path, writable: false, ct)).Device;

    private static string? VersionOf(string text) =>
        Pipeline.Steps.Distribute.SharedImage.VersionNumbers.TryParse(text, out _) ? text : null;
}
