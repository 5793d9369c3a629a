namespace Kiln.Domain.Arm;

/// <summary>The ARM resource types Kiln serves, spelled as Azure spells them (ids are rebuilt with these).</summary>
public static class ResourceTypes
{
    public const string ResourceGroup = "Microsoft.Resources/resourceGroups";
    public const string Subscription = "Microsoft.Resources/subscriptions";
    public const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string RoleDefinition = "Microsoft.Authorization/roleDefinitions";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string Gallery = "Microsoft.Compute/galleries";
    public const string GalleryImage = "Microsoft.Compute/galleries/images";
    public const string GalleryImageVersion = "Microsoft.Compute/galleries/images/versions";
    /// <summary>A managed image; Kiln's are made by builds (distribute type ManagedImage).</summary>
    public const string ManagedImage = "Microsoft.Compute/images";
    public const string ImageTemplate = "Microsoft.VirtualMachineImages/imageTemplates";
    public const string ImageTemplateTrigger = "Microsoft.VirtualMachineImages/imageTemplates/triggers";
    public const string ImageTemplateRunOutput = "Microsoft.VirtualMachineImages/imageTemplates/runOutputs";

    /// <summary>Provider namespaces a subscription knows (registration state is tracked per subscription).</summary>
    public static readonly IReadOnlyList<string> Namespaces =
    [
        "Microsoft.VirtualMachineImages", "Microsoft.Compute", "Microsoft.KeyVault", "Microsoft.Storage",
        "Microsoft.Network", "Microsoft.ManagedIdentity", "Microsoft.Authorization", "Microsoft.Resources",
    ];

    private static readonly string[] Known =
    [
        ResourceGroup, Subscription, UserAssignedIdentity, RoleDefinition, RoleAssignment, Gallery, GalleryImage,
        GalleryImageVersion, ManagedImage, ImageTemplate, ImageTemplateTrigger, ImageTemplateRunOutput,
    ];

    /// <summary>Azure's spelling of a type (compared case-insensitively), or the input when unknown.</summary>
    public static string Canonical(string type) =>
        Known.FirstOrDefault(k => string.Equals(k, type, StringComparison.OrdinalIgnoreCase)) ?? type;

    public static string? CanonicalNamespace(string ns) =>
        Namespaces.FirstOrDefault(n => string.Equals(n, ns, StringComparison.OrdinalIgnoreCase));

    /// <summary>The last segment of a type for building ids: Microsoft.Compute/galleries/images → images.</summary>
    public static string LastSegment(string type) => type[(type.LastIndexOf('/') + 1)..];
}
