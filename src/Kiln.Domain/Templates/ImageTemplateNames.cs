using System.Text.RegularExpressions;

namespace Kiln.Domain.Templates;

/// <summary>
/// The image template resource name rule: the swagger pattern <c>^[A-Za-z0-9-_.]{1,64}$</c>,
/// tightened so a name can never read as a path (must start with a letter or digit, no "..").
/// </summary>
public static partial class ImageTemplateNames
{
    /// <summary>Null when <paramref name="name"/> is a valid template name, else the error (target <c>name</c>).</summary>
    public static ValidationError? Validate(string? name)
    {
        const string fix = "use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit, without '..'";
        if (string.IsNullOrEmpty(name))
            return new ValidationError(ValidationCodes.MissingField, $"The image template name is empty: {fix}.", "name");
        if (name.Length > 64)
            return new ValidationError(ValidationCodes.InvalidValue, $"The image template name is {name.Length} characters long: {fix}.", "name");
        if (!Pattern().IsMatch(name) || name.Contains(".."))
            return new ValidationError(ValidationCodes.InvalidValue, $"The image template name '{Printable(name)}' is invalid: {fix}.", "name");
        return null;
    }

    internal static string Printable(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (var c in s.Length > 300 ? s[..300] + "…" : s)
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
