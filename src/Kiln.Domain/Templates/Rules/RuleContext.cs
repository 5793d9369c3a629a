using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>
/// Shared state of one validation pass: the api-version level, the errors found so far and
/// typed accessors that report a problem (with its JSON path) instead of throwing. Every rule
/// goes through these accessors so type mismatches are reported uniformly and nothing throws
/// on hostile input.
/// </summary>
internal sealed class RuleContext(TemplateApiLevel level)
{
    // An error flood helps nobody and costs memory on hostile bodies.
    private const int MaxErrors = 200;

    public TemplateApiLevel Level { get; } = level;

    /// <summary>2024-02-01+ match field names exactly and reject unknown ones.</summary>
    public bool Strict => Level >= TemplateApiLevel.V2024_02_01;

    public List<ValidationError> Errors { get; } = [];

    public string ApiVersion => ImageTemplateApiVersions.NameOf(Level);

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int i) => path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>Adds an error whose message starts with the target: "{target} {text}".</summary>
    public void Fail(string code, string target, string text)
    {
        if (Errors.Count < MaxErrors)
            Errors.Add(new ValidationError(code, target.Length == 0 ? text : target + " " + text, target));
    }

    /// <summary>
    /// The value of <paramref name="name"/> in <paramref name="obj"/>: exact match first, then
    /// (before 2024-02-01, which matched names case-insensitively) any casing. JSON null counts
    /// as absent, as in ARM requests.
    /// </summary>
    public JsonNode? Get(JsonObject obj, string name) => Lookup(obj, name, !Strict);

    internal static JsonNode? Lookup(JsonObject obj, string name, bool anyCase)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
            return exact;
        if (!anyCase)
            return null;
        foreach (var (key, value) in obj)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    public static string KindOf(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private void Missing(string target, string hint) =>
        Fail(ValidationCodes.MissingField, target, "is required" + (hint.Length > 0 ? ": " + hint : "."));

    private void WrongType(string target, string expected, JsonNode node, string hint = "") =>
        Fail(ValidationCodes.InvalidType, target, $"must be {expected}, not {KindOf(node)}{(hint.Length > 0 ? ": " + hint : ".")}");

    /// <summary>A string field; null when absent or of the wrong type (the latter reported).</summary>
    public string? String(JsonObject obj, string name, string path, bool required = false, string hint = "")
    {
        var target = Join(path, name);
        var node = Get(obj, name);
        if (node is null)
        {
            if (required)
                Missing(target, hint);
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            WrongType(target, "a string", node, hint);
            return null;
        }
        var s = node.GetValue<string>();
        if (required && s.Length == 0)
        {
            Fail(ValidationCodes.InvalidValue, target, "must not be empty" + (hint.Length > 0 ? ": " + hint : "."));
            return null;
        }
        return s;
    }

    public JsonObject? Object(JsonObject obj, string name, string path, bool required = false, string hint = "")
    {
        var target = Join(path, name);
        var node = Get(obj, name);
        if (node is null)
        {
            if (required)
                Missing(target, hint);
            return null;
        }
        if (node is not JsonObject o)
        {
            WrongType(target, "an object", node, hint);
            return null;
        }
        return o;
    }

    public JsonArray? Array(JsonObject obj, string name, string path, bool required = false, string hint = "")
    {
        var target = Join(path, name);
        var node = Get(obj, name);
        if (node is null)
        {
            if (required)
                Missing(target, hint);
            return null;
        }
        if (node is not JsonArray a)
        {
            WrongType(target, "an array", node, hint);
            return null;
        }
        return a;
    }

    public bool? Bool(JsonObject obj, string name, string path)
    {
        var node = Get(obj, name);
        if (node is null)
            return null;
        var kind = node.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
            return kind == JsonValueKind.True;
        WrongType(Join(path, name), "a boolean", node, "use true or false without quotes");
        return null;
    }

    /// <summary>An integer field within [min, max]; null when absent or invalid (reported).</summary>
    public long? Integer(JsonObject obj, string name, string path, long min, long max, string rangeHint)
    {
        var node = Get(obj, name);
        return node is null ? null : IntegerValue(node, Join(path, name), min, max, rangeHint);
    }

    public long? IntegerValue(JsonNode node, string target, long min, long max, string rangeHint)
    {
        if (node.GetValueKind() != JsonValueKind.Number)
        {
            WrongType(target, "an integer", node, rangeHint);
            return null;
        }
        var text = node.ToJsonString();
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            Fail(ValidationCodes.OutOfRange, target, $"{text} is out of range: {rangeHint}.");
            return null;
        }
        if (d != decimal.Truncate(d))
        {
            Fail(ValidationCodes.InvalidType, target, $"must be a whole number, not {text}: {rangeHint}.");
            return null;
        }
        if (d < min || d > max)
        {
            Fail(ValidationCodes.OutOfRange, target, $"{text} is out of range: {rangeHint}.");
            return null;
        }
        return (long)d;
    }

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
