using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>Microsoft.Compute/galleries.</summary>
public sealed class GalleryKind : IResourceKind
{
    public string Type => ResourceTypes.Gallery;
    public bool Tracked => true;
    public bool CreateOnly => false;
    public bool ClientCreatable => true;

    public Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing)
    {
        var errors = new List<ArmErrorDetail>();
        string? location = BodyRules.NormalizeLocation(body["location"], errors, true);
        var tags = BodyRules.Tags(body["tags"], errors);
        var input = body["properties"];
        if (input is not null and not JsonObject)
            errors.Add(new ArmErrorDetail("InvalidProperty", "'properties' must be an object.", "properties"));
        var props = input as JsonObject;
        if (props?["description"] is { } d && (d.GetValueKind() != JsonValueKind.String || d.GetValue<string>().Length > 4096))
            errors.Add(new ArmErrorDetail("InvalidProperty", "'properties.description' must be a string of at most 4096 characters.", "properties.description"));
        if (existing is not null && location is not null && existing.Body["location"]?.GetValue<string>() != location)
            errors.Add(new ArmErrorDetail("PropertyChangeNotAllowed", "A gallery's location cannot change.", "location"));
        BodyRules.ThrowIfAny(errors);
        var properties = new JsonObject();
        if (props?["description"] is { } description)
            properties["description"] = description.DeepClone();
        if (props?["softDeletePolicy"] is JsonObject soft)
            properties["softDeletePolicy"] = soft.DeepClone();
        properties["identifier"] = new JsonObject { ["uniqueName"] = $"{id.Subscription}-{id.Name.ToUpperInvariant()}" };
        properties["provisioningState"] = "Succeeded";
        return Task.FromResult(new JsonObject { ["location"] = location, ["tags"] = tags, ["properties"] = properties });
    }

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted) => Task.CompletedTask;
}
