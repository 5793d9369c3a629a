namespace Kiln.Domain.Templates;

/// <summary>A gallery image version by id; the version segment may be "latest".</summary>
public sealed record SharedImageVersionSource(string ImageVersionId) : ImageSource
{
    public override string Type => "SharedImageVersion";

    /// <summary>The image definition (…/galleries/g/images/d) the version belongs to, canonical spelling.</summary>
    public string ImageDefinitionId => Parsed.AncestorId(2);

    /// <summary>The version segment, e.g. "1.0.3" or "latest".</summary>
    public string Version => Parsed.Name;

    public bool IsLatest => Version.Equals("latest", StringComparison.OrdinalIgnoreCase);

    private TemplateResourceId Parsed =>
        TemplateResourceId.TryParse(ImageVersionId, out var id, out var error) && id!.Types.Count == 3
            ? id
            : throw new FormatException($"source.imageVersionId '{ImageVersionId}' is not a gallery image version id ({error}); validate the template first.");
}
