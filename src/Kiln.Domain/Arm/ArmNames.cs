using System.Text.RegularExpressions;

namespace Kiln.Domain.Arm;

/// <summary>
/// Name rules per resource type (from the REST specs / Azure naming rules). Every name that
/// becomes part of a stored key passes through here, so "..", "/" and control characters never
/// reach storage.
/// </summary>
public static partial class ArmNames
{
    [GeneratedRegex(@"^[-\w._()]{1,90}$")]
    private static partial Regex ResourceGroupRegex();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$")]
    private static partial Regex IdentityRegex();

    [GeneratedRegex(@"^[A-Za-z0-9]+([._]?[A-Za-z0-9]+)*$")]
    private static partial Regex GalleryRegex();

    [GeneratedRegex(@"^[A-Za-z0-9]+([-._]?[A-Za-z0-9]+)*$")]
    private static partial Regex GalleryImageRegex();

    [GeneratedRegex(@"^[0-9]{1,9}\.[0-9]{1,9}\.[0-9]{1,9}$")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"^[A-Za-z0-9-_.]{1,64}$")]
    private static partial Regex ImageBuilderRegex();

    public static bool IsGuid(string s) => Guid.TryParseExact(s, "D", out _);

    /// <summary>Null when valid, else the reason (names the rule so the client can fix the name).</summary>
    public static string? Check(string type, string name)
    {
        if (name.Contains("..", StringComparison.Ordinal) || name.Contains('/') || name.Contains('\\'))
            return $"The name '{name}' must not contain '..', '/' or '\\'.";
        return ResourceTypes.Canonical(type) switch
        {
            ResourceTypes.ResourceGroup => ResourceGroupRegex().IsMatch(name) && !name.EndsWith('.')
                ? null : "Resource group names are 1-90 letters, digits, '-', '_', '.', '(', ')' and do not end in '.'.",
            ResourceTypes.UserAssignedIdentity => IdentityRegex().IsMatch(name)
                ? null : "Identity names are 3-128 letters, digits, '-' and '_', starting with a letter or digit.",
            ResourceTypes.Gallery => name.Length <= 80 && GalleryRegex().IsMatch(name)
                ? null : "Gallery names are up to 80 letters and digits, separated by single '.' or '_'.",
            ResourceTypes.GalleryImage => name.Length <= 80 && GalleryImageRegex().IsMatch(name)
                ? null : "Image definition names are up to 80 letters and digits, separated by single '-', '.' or '_'.",
            ResourceTypes.GalleryImageVersion => IsVersion(name)
                ? null : "Image version names are Major.Minor.Patch with each part a 32-bit integer.",
            ResourceTypes.ImageTemplate or ResourceTypes.ImageTemplateTrigger or ResourceTypes.ImageTemplateRunOutput =>
                ImageBuilderRegex().IsMatch(name) ? null : "Names must match ^[A-Za-z0-9-_.]{1,64}$.",
            ResourceTypes.RoleAssignment or ResourceTypes.RoleDefinition => IsGuid(name)
                ? null : "Role assignment and role definition names are GUIDs.",
            _ => name.Length is >= 1 and <= 260 ? null : "Names are 1-260 characters.",
        };
    }

    public static bool IsVersion(string name) =>
        VersionRegex().IsMatch(name) && name.Split('.').All(p => int.TryParse(p, out _));
}
