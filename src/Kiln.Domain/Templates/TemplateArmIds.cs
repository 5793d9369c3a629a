using System.Globalization;
using System.Text.RegularExpressions;

namespace Kiln.Domain.Templates;

/// <summary>
/// The resource types a template refers to and their naming rules (learn "Naming rules and
/// restrictions for Azure resources"), so an id is checked for shape, type and names at once.
/// </summary>
public static partial class TemplateArmIds
{
    public const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string ManagedImage = "Microsoft.Compute/images";
    public const string GalleryImage = "Microsoft.Compute/galleries/images";
    public const string GalleryImageVersion = "Microsoft.Compute/galleries/images/versions";
    public const string Subnet = "Microsoft.Network/virtualNetworks/subnets";
    public const string ResourceGroup = "Microsoft.Resources/resourceGroups";

    private const string Prefix = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";

    /// <summary>The expected shape of each type, quoted in error messages as the fix.</summary>
    public static string ExampleOf(string fullType) => fullType switch
    {
        UserAssignedIdentity => Prefix + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identityName}",
        ManagedImage => Prefix + "/providers/Microsoft.Compute/images/{imageName}",
        GalleryImage => Prefix + "/providers/Microsoft.Compute/galleries/{galleryName}/images/{imageDefinitionName}",
        GalleryImageVersion => Prefix + "/providers/Microsoft.Compute/galleries/{galleryName}/images/{imageDefinitionName}/versions/{major.minor.patch}",
        Subnet => Prefix + "/providers/Microsoft.Network/virtualNetworks/{vnetName}/subnets/{subnetName}",
        ResourceGroup => Prefix,
        _ => Prefix + "/providers/{Namespace}/{type}/{name}",
    };

    /// <summary>RG names: 1-90 of letters, digits, '_', '-', '.', '(' and ')', not ending in '.'.</summary>
    public static bool IsValidResourceGroupName(string name) =>
        name.Length is >= 1 and <= 90 && ResourceGroupName().IsMatch(name) && !name.EndsWith('.');

    /// <summary>A gallery image version name: three dot-separated 32-bit non-negative integers.</summary>
    public static bool IsValidVersionName(string name)
    {
        var parts = name.Split('.');
        if (parts.Length != 3)
            return false;
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 10 || !p.All(char.IsAsciiDigit)
                || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Checks that <paramref name="text"/> is an id of <paramref name="fullType"/> whose names
    /// follow that type's rules. Returns null when valid, else the reason (to follow "is invalid: ").
    /// <paramref name="allowLatestVersion"/> lets a gallery version id end in <c>/versions/latest</c>.
    /// </summary>
    public static string? Check(string text, string fullType, out TemplateResourceId? id, bool allowLatestVersion = false)
    {
        if (!TemplateResourceId.TryParse(text, out id, out var error))
            return $"{error}. Expected {ExampleOf(fullType)}";
        if (!id!.IsOfType(fullType))
        {
            var reason = $"it names a {id.FullType}, not a {fullType}. Expected {ExampleOf(fullType)}";
            id = null;
            return reason;
        }
        var nameError = CheckNames(id, allowLatestVersion);
        if (nameError is not null)
        {
            id = null;
            return nameError;
        }
        return null;
    }

    private static string? CheckNames(TemplateResourceId id, bool allowLatestVersion)
    {
        for (var i = 0; i < id.Types.Count; i++)
        {
            var type = id.Types[i];
            var name = id.Names[i];
            var ok = type.ToLowerInvariant() switch
            {
                "userassignedidentities" => name.Length is >= 3 and <= 128 && IdentityName().IsMatch(name),
                "images" when i == 0 => name.Length is >= 1 and <= 80 && ManagedImageName().IsMatch(name),
                "galleries" => name.Length is >= 1 and <= 80 && GalleryName().IsMatch(name),
                "images" => name.Length is >= 1 and <= 80 && DefinitionName().IsMatch(name),
                "versions" => IsValidVersionName(name) || (allowLatestVersion && name.Equals("latest", StringComparison.OrdinalIgnoreCase)),
                "virtualnetworks" => name.Length is >= 2 and <= 64 && NetworkName().IsMatch(name),
                "subnets" => name.Length is >= 1 and <= 80 && NetworkName().IsMatch(name),
                _ => name.Length is >= 1 and <= 260,
            };
            if (!ok)
                return $"{type} name '{name}' is invalid: {RuleOf(type, i, allowLatestVersion)}";
        }
        return null;
    }

    private static string RuleOf(string type, int index, bool allowLatestVersion) => type.ToLowerInvariant() switch
    {
        "userassignedidentities" => "use 3-128 letters, digits, '-' or '_', starting with a letter or digit",
        "images" when index == 0 => "use 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'",
        "galleries" => "use 1-80 letters, digits, '_' or '.', starting and ending with a letter or digit (no '-')",
        "images" => "use 1-80 letters, digits, '_', '.' or '-', starting and ending with a letter or digit",
        "versions" => allowLatestVersion ? "use Major.Minor.Patch (three 32-bit integers, e.g. 1.0.0) or 'latest'" : "use Major.Minor.Patch (three 32-bit integers, e.g. 1.0.0)",
        "virtualnetworks" => "use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
        "subnets" => "use 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit",
        _ => "use 1-260 characters",
    };

    [GeneratedRegex(@"^[-\w.()]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceGroupName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityName();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ManagedImageName();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex GalleryName();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DefinitionName();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkName();
}
