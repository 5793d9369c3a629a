using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>The value-level checks of <see cref="RuleContext"/>: enums, kinds, known fields, ids, string maps.</summary>
internal sealed partial class RuleContext
{
    /// <summary>
    /// An enum-like string; returns the canonical spelling from <paramref name="allowed"/>.
    /// Case-insensitive before 2024-02-01, exact from then on.
    /// </summary>
    public string? Enum(JsonObject obj, string name, string path, IReadOnlyList<string> allowed, bool required = false)
    {
        var target = Join(path, name);
        var list = string.Join(", ", allowed.Select(a => "'" + a + "'"));
        var s = String(obj, name, path, required, "use one of " + list);
        return s is null ? null : EnumValue(s, target, allowed);
    }

    public string? EnumValue(string s, string target, IReadOnlyList<string> allowed)
    {
        foreach (var a in allowed)
        {
            if (a == s)
                return a;
        }
        var list = string.Join(", ", allowed.Select(a => "'" + a + "'"));
        foreach (var a in allowed)
        {
            if (a.Equals(s, StringComparison.OrdinalIgnoreCase))
            {
                if (!Strict)
                    return a;
                Fail(ValidationCodes.InvalidValue, target, $"'{ImageTemplateNames.Printable(s)}' must be spelled exactly '{a}' (api-version {ApiVersion} is case-sensitive).");
                return null;
            }
        }
        Fail(ValidationCodes.InvalidValue, target, $"'{ImageTemplateNames.Printable(s)}' is not allowed: use one of {list}.");
        return null;
    }

    /// <summary>
    /// Resolves a discriminator (<c>type</c>) to its canonical kind, or reports it: unknown
    /// kinds list the valid ones; before 2024-02-01 any casing is accepted.
    /// </summary>
    public string? Kind(string type, string target, IReadOnlyList<string> kinds, string what)
    {
        var exact = kinds.FirstOrDefault(k => k == type);
        if (exact is not null)
            return exact;
        var other = kinds.FirstOrDefault(k => k.Equals(type, StringComparison.OrdinalIgnoreCase));
        if (other is not null && !Strict)
            return other;
        Fail(ValidationCodes.UnknownKind, target, other is not null
            ? $"'{ImageTemplateNames.Printable(type)}' must be spelled exactly '{other}' (api-version {ApiVersion} is case-sensitive)."
            : $"'{ImageTemplateNames.Printable(type)}' is not a {what} type: use one of {string.Join(", ", kinds.Select(k => "'" + k + "'"))}.");
        return null;
    }

    /// <summary>
    /// Reports fields of <paramref name="obj"/> that the api-version does not know: fields newer
    /// than the request's api-version always; unknown or wrongly cased names only under strict
    /// (2024-02-01+) rules, since older versions ignored them.
    /// </summary>
    public void CheckFields(JsonObject obj, string path, FieldSet fields)
    {
        foreach (var (key, _) in obj)
        {
            var target = Join(path, key);
            if (fields.ReadOnly.Contains(key))
                continue;
            if (fields.Since.TryGetValue(key, out var since))
            {
                TooNew(key, target, since);
                continue;
            }
            var caseMatch = fields.Since.Keys.Concat(fields.ReadOnly).FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (caseMatch is not null)
            {
                if (Strict)
                    Fail(ValidationCodes.UnknownField, target, $"is not a known field: did you mean '{caseMatch}'? (api-version {ApiVersion} matches field names exactly).");
                else if (fields.Since.TryGetValue(caseMatch, out var since2))
                    TooNew(caseMatch, target, since2);
                continue;
            }
            if (Strict)
            {
                var known = string.Join(", ", fields.Since.Where(kv => kv.Value <= Level).Select(kv => "'" + kv.Key + "'"));
                Fail(ValidationCodes.UnknownField, target, $"is not a known field (api-version {ApiVersion} rejects unknown fields): remove it; known fields here are {known}.");
            }
        }
    }

    private void TooNew(string key, string target, TemplateApiLevel since)
    {
        if (since > Level)
            Fail(ValidationCodes.NotSupportedInApiVersion, target,
                $"is not available in api-version {ApiVersion}: use api-version {ImageTemplateApiVersions.NameOf(since)} or later, or remove '{key}'.");
    }

    /// <summary>Checks a resource id string; null when invalid (reported).</summary>
    public TemplateResourceId? ResourceId(string value, string target, string fullType, bool allowLatestVersion = false)
    {
        var reason = TemplateArmIds.Check(value, fullType, out var id, allowLatestVersion);
        if (reason is null)
            return id;
        Fail(ValidationCodes.InvalidResourceId, target, $"'{ImageTemplateNames.Printable(value)}' is invalid: {reason}.");
        return null;
    }

    /// <summary>An object mapping names to string values (tags); reports non-string values.</summary>
    public void StringMap(JsonObject obj, string name, string path, int maxEntries, int maxKey, int maxValue)
    {
        var map = Object(obj, name, path, hint: "use {\"name\": \"value\", ...}");
        if (map is null)
            return;
        var target = Join(path, name);
        if (map.Count > maxEntries)
            Fail(ValidationCodes.OutOfRange, target, $"has {map.Count} entries: at most {maxEntries} are allowed.");
        foreach (var (key, value) in map)
        {
            var t = Join(target, key);
            if (key.Length == 0 || key.Length > maxKey)
                Fail(ValidationCodes.InvalidValue, t, $"name must be 1-{maxKey} characters long.");
            if (value is null || value.GetValueKind() != JsonValueKind.String)
                Fail(ValidationCodes.InvalidType, t, $"must be a string, not {KindOf(value)}: tag values are strings.");
            else if (value.GetValue<string>().Length > maxValue)
                Fail(ValidationCodes.InvalidValue, t, $"is longer than {maxValue} characters.");
        }
    }
}
