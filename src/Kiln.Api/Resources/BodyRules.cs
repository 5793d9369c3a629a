using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>Checks shared by every resource body: location, tags, string fields. Each problem names its JSON path.</summary>
public static class BodyRules
{
    /// <summary>"West US 2" → "westus2", as ARM normalizes locations.</summary>
    public static string? NormalizeLocation(JsonNode? node, List<ArmErrorDetail> errors, bool required)
    {
        if (node is null)
        {
            if (required)
                errors.Add(new ArmErrorDetail("LocationRequired", "The 'location' property is required for this resource.", "location"));
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
        {
            errors.Add(new ArmErrorDetail("InvalidLocation", "The 'location' property must be a non-empty string.", "location"));
            return null;
        }
        string loc = node.GetValue<string>().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        if (loc.Length > 64 || !loc.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add(new ArmErrorDetail("InvalidLocation", $"'{node.GetValue<string>()}' is not a valid location name.", "location"));
            return null;
        }
        return loc;
    }

    public static JsonObject Tags(JsonNode? node, List<ArmErrorDetail> errors)
    {
        if (node is null)
            return new JsonObject();
        if (node is not JsonObject tags)
        {
            errors.Add(new ArmErrorDetail("InvalidTags", "'tags' must be an object of string values.", "tags"));
            return new JsonObject();
        }
        if (tags.Count > 50)
            errors.Add(new ArmErrorDetail("InvalidTags", $"At most 50 tags are allowed, got {tags.Count}.", "tags"));
        foreach (var (k, v) in tags)
        {
            if (k.Length is 0 or > 512 || k.IndexOfAny(['<', '>', '%', '&', '\\', '?', '/']) >= 0)
                errors.Add(new ArmErrorDetail("InvalidTagName", $"Tag name '{k}' must be 1-512 characters without <>%&\\?/.", $"tags['{k}']"));
            if (v is null || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length > 256)
                errors.Add(new ArmErrorDetail("InvalidTagValue", $"Tag '{k}' must have a string value of at most 256 characters.", $"tags['{k}']"));
        }
        return (JsonObject)tags.DeepClone();
    }

    public static string? RequiredString(JsonObject? obj, string name, string path, List<ArmErrorDetail> errors, int maxLength = 256)
    {
        var node = obj?[name];
        if (node is null)
        {
            errors.Add(new ArmErrorDetail("MissingProperty", $"'{path}' is required.", path));
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()) ||
            node.GetValue<string>().Length > maxLength)
        {
            errors.Add(new ArmErrorDetail("InvalidProperty", $"'{path}' must be a non-empty string of at most {maxLength} characters.", path));
            return null;
        }
        return node.GetValue<string>();
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in its canonical spelling.</summary>
    public static string? Enum(JsonObject? obj, string name, string path, string[] allowed, string? fallback, List<ArmErrorDetail> errors)
    {
        var node = obj?[name];
        if (node is null)
        {
            if (fallback is null)
                errors.Add(new ArmErrorDetail("MissingProperty", $"'{path}' is required ({string.Join(", ", allowed)}).", path));
            return fallback;
        }
        string? text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
            errors.Add(new ArmErrorDetail("InvalidProperty", $"'{path}' must be one of {string.Join(", ", allowed)}, got {node.ToJsonString()}.", path));
        return match;
    }

    public static void ThrowIfAny(List<ArmErrorDetail> errors, string code = "InvalidRequestContent")
    {
        if (errors.Count == 0)
            return;
        string summary = string.Join("; ", errors.Take(5).Select(e => $"'{e.Target}': {e.Message}"));
        throw new KilnException(KilnErrorKind.Validation, code, $"Validation failed: {summary}", errors[0].Target, errors);
    }
}
