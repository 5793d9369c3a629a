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
internal sealed partial class RuleContext(TemplateApiLevel level)
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
        Fail(ValidationCodes.MissingField, target, "is required" + Hint(hint));

    private void WrongType(string target, string expected, JsonNode node, string hint = "") =>
        Fail(ValidationCodes.InvalidType, target, $"must be {expected}, not {KindOf(node)}{Hint(hint)}");

    /// <summary>": hint." — or just "." — so every message ends as a sentence.</summary>
    private static string Hint(string hint) =>
        hint.Length == 0 ? "." : ": " + hint + (hint.EndsWith('.') ? "" : ".");

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
            Fail(ValidationCodes.InvalidValue, target, "must not be empty" + Hint(hint));
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
}
