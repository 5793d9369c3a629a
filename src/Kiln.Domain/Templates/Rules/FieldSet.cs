namespace Kiln.Domain.Templates;

/// <summary>
/// The fields one JSON object may carry: each with the api-version that introduced it, plus
/// read-only names that clients echo back and the server ignores.
/// </summary>
internal sealed class FieldSet
{
    public FieldSet(IEnumerable<(string Name, TemplateApiLevel Since)> fields, params string[] readOnly)
    {
        Since = fields.ToDictionary(f => f.Name, f => f.Since, StringComparer.Ordinal);
        ReadOnly = new HashSet<string>(readOnly, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, TemplateApiLevel> Since { get; }
    public IReadOnlySet<string> ReadOnly { get; }

    /// <summary>Shorthand: all <paramref name="names"/> exist since 2022-02-14.</summary>
    public static IEnumerable<(string, TemplateApiLevel)> Base(params string[] names) =>
        names.Select(n => (n, TemplateApiLevel.V2022_02_14));
}
