using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>Microsoft.Compute/galleries/images (image definitions): identifier, osType, osState, generation, architecture, features.</summary>
public sealed class GalleryImageKind : IResourceKind
{
    public string Type => ResourceTypes.GalleryImage;
    public bool Tracked => true;
    public bool CreateOnly => false;
    public bool ClientCreatable => true;

    public async Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing)
    {
        var errors = new List<ArmErrorDetail>();
        string? location = BodyRules.NormalizeLocation(body["location"], errors, true);
        var tags = BodyRules.Tags(body["tags"], errors);
        var props = body["properties"] as JsonObject;
        if (props is null)
            errors.Add(new ArmErrorDetail(body["properties"] is null ? "MissingProperty" : "InvalidProperty",
                "'properties' is required and must be an object (osType, osState, identifier).", "properties"));
        string? osType = BodyRules.Enum(props, "osType", "properties.osType", ["Windows", "Linux"], null, errors);
        string? osState = BodyRules.Enum(props, "osState", "properties.osState", ["Generalized", "Specialized"], null, errors);
        string? hyperV = BodyRules.Enum(props, "hyperVGeneration", "properties.hyperVGeneration", ["V1", "V2"], "V1", errors);
        string? arch = BodyRules.Enum(props, "architecture", "properties.architecture", ["x64", "Arm64"], "x64", errors);
        var identifierNode = props?["identifier"];
        var identifier = identifierNode as JsonObject;
        if (props is not null && identifier is null)
            errors.Add(new ArmErrorDetail(identifierNode is null ? "MissingProperty" : "InvalidProperty",
                "'properties.identifier' is required: {publisher, offer, sku}.", "properties.identifier"));
        string? publisher = identifier is null ? null : BodyRules.RequiredString(identifier, "publisher", "properties.identifier.publisher", errors, 128);
        string? offer = identifier is null ? null : BodyRules.RequiredString(identifier, "offer", "properties.identifier.offer", errors, 64);
        string? sku = identifier is null ? null : BodyRules.RequiredString(identifier, "sku", "properties.identifier.sku", errors, 64);
        var features = Features(props?["features"], errors);
        if (props?["description"] is { } d && d.GetValueKind() != JsonValueKind.String)
            errors.Add(new ArmErrorDetail("InvalidProperty", "'properties.description' must be a string.", "properties.description"));
        if (existing?.Body["properties"] is JsonObject old && errors.Count == 0)
        {
            // Definitions are immutable in what identifies the image (Azure: PropertyChangeNotAllowed).
            void Same(string path, string? was, string? now)
            {
                if (!string.Equals(was, now, StringComparison.OrdinalIgnoreCase))
                    errors.Add(new ArmErrorDetail("PropertyChangeNotAllowed", $"Changing '{path}' is not allowed (was '{was}').", path));
            }
            Same("properties.osType", old["osType"]?.GetValue<string>(), osType);
            Same("properties.osState", old["osState"]?.GetValue<string>(), osState);
            Same("properties.identifier.publisher", old["identifier"]?["publisher"]?.GetValue<string>(), publisher);
            Same("properties.identifier.offer", old["identifier"]?["offer"]?.GetValue<string>(), offer);
            Same("properties.identifier.sku", old["identifier"]?["sku"]?.GetValue<string>(), sku);
        }
        if (errors.Count == 0 && id.Parent is { } gallery)
        {
            foreach (var other in await ctx.Store.ListAsync(ResourceTypes.GalleryImage, gallery.Key, ctx.Aborted))
            {
                var o = other.Body["properties"]?["identifier"];
                if (other.Key != id.Key && Eq(o?["publisher"], publisher) && Eq(o?["offer"], offer) && Eq(o?["sku"], sku))
                    throw KilnException.Conflict("GalleryImageIdentifierAlreadyExists",
                        $"Image definition '{other.Id}' already uses publisher/offer/sku '{publisher}/{offer}/{sku}' in this gallery.");
            }
        }
        BodyRules.ThrowIfAny(errors);
        var properties = new JsonObject
        {
            ["osType"] = osType,
            ["osState"] = osState,
            ["hyperVGeneration"] = hyperV,
            ["architecture"] = arch,
            ["identifier"] = new JsonObject { ["publisher"] = publisher, ["offer"] = offer, ["sku"] = sku },
            ["features"] = features,
        };
        foreach (var copy in new[] { "description", "eula", "privacyStatementUri", "releaseNoteUri", "endOfLifeDate", "recommended", "disallowed", "purchasePlan" })
        {
            if (props?[copy] is { } value)
                properties[copy] = value.DeepClone();
        }
        properties["provisioningState"] = "Succeeded";
        return new JsonObject { ["location"] = location, ["tags"] = tags, ["properties"] = properties };
    }

    private static bool Eq(JsonNode? a, string? b) =>
        a is JsonValue v && v.TryGetValue(out string? s) && string.Equals(s, b, StringComparison.OrdinalIgnoreCase);

    private static JsonArray Features(JsonNode? node, List<ArmErrorDetail> errors)
    {
        if (node is null)
            return [];
        if (node is not JsonArray array || array.Count > 32)
        {
            errors.Add(new ArmErrorDetail("InvalidProperty", "'properties.features' must be an array of at most 32 {name, value} objects.", "properties.features"));
            return [];
        }
        for (int i = 0; i < array.Count; i++)
        {
            var f = array[i] as JsonObject;
            BodyRules.RequiredString(f, "name", $"properties.features[{i}].name", errors, 128);
            BodyRules.RequiredString(f, "value", $"properties.features[{i}].value", errors, 128);
        }
        return (JsonArray)array.DeepClone();
    }

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted) => Task.CompletedTask;
}
