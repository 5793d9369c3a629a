using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>The provider resource types Kiln serves, registered explicitly (no reflection).</summary>
public static class ResourceKinds
{
    private static readonly Dictionary<string, IResourceKind> ByType = new IResourceKind[]
    {
        new IdentityKind(),
        new GalleryKind(),
        new GalleryImageKind(),
        new GalleryImageVersionKind(),
        new ManagedImageKind(),
        new ImageTemplateKind(),
        new TriggerKind(),
        new RunOutputKind(),
    }.ToDictionary(k => k.Type, StringComparer.OrdinalIgnoreCase);

    public static IResourceKind? Find(string type) => ByType.GetValueOrDefault(ResourceTypes.Canonical(type));

    public static IResourceKind Require(string type) => Find(type)
        ?? throw KilnException.BadRequest("InvalidResourceType", $"The resource type '{type}' is not served by Kiln.", "type");
}
