namespace Kiln.Domain.Templates;

/// <summary>
/// Distributes to a gallery. <see cref="GalleryImageId"/> is an image definition id (the
/// version is generated, see <see cref="Versioning"/>) or a version id (explicit version).
/// </summary>
public sealed record SharedImageDistributor(
    string RunOutputName,
    IReadOnlyDictionary<string, string> ArtifactTags,
    string GalleryImageId,
    IReadOnlyList<TargetRegion> TargetRegions,
    IReadOnlyList<string> ReplicationRegions,
    bool ExcludeFromLatest,
    string? StorageAccountType,
    DistributeVersioning? Versioning) : Distributor(RunOutputName, ArtifactTags)
{
    public override string Type => "SharedImage";

    /// <summary>The image definition id (canonical spelling), with any version segment removed.</summary>
    public string ImageDefinitionId => Parsed.AncestorId(2);

    /// <summary>The explicit version from <see cref="GalleryImageId"/>, or null when auto-versioned.</summary>
    public string? ExplicitVersion => Parsed.Types.Count == 3 ? Parsed.Name : null;

    private TemplateResourceId Parsed =>
        TemplateResourceId.TryParse(GalleryImageId, out var id, out var error) && id!.Types.Count is 2 or 3
            ? id
            : throw new FormatException($"galleryImageId '{GalleryImageId}' is not a gallery image id ({error}); validate the template first.");
}
