using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>
/// Fields of an image template that the service owns. Clients echo them back (the quickstart
/// sends <c>source.exactVersion</c>; <c>az resource create --is-full-object</c> may send a
/// whole GET result): validation ignores them, and <see cref="Strip"/> removes them before the
/// body is stored so a client can never set them.
/// </summary>
public static class ImageTemplateReadOnlyFields
{
    /// <summary>JSON paths of read-only fields; <c>*</c> stands for any identity key.</summary>
    public static IReadOnlyList<string> Paths { get; } =
    [
        "id", "name", "type", "systemData",
        "identity.principalId", "identity.tenantId",
        "identity.userAssignedIdentities.*.principalId", "identity.userAssignedIdentities.*.clientId",
        "properties.provisioningState", "properties.provisioningError", "properties.lastRunStatus",
        "properties.exactStagingResourceGroup", "properties.source.exactVersion",
    ];

    /// <summary>A deep copy of <paramref name="body"/> without the read-only fields (any casing).</summary>
    public static JsonObject Strip(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var copy = (JsonObject)body.DeepClone();
        foreach (var path in Paths)
            Remove(copy, path.Split('.'), 0);
        return copy;
    }

    private static void Remove(JsonObject obj, string[] parts, int index)
    {
        var keys = parts[index] == "*"
            ? obj.Select(kv => kv.Key).ToList()
            : obj.Select(kv => kv.Key).Where(k => k.Equals(parts[index], StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var key in keys)
        {
            if (index == parts.Length - 1)
                obj.Remove(key);
            else if (obj[key] is JsonObject child)
                Remove(child, parts, index + 1);
        }
    }
}
