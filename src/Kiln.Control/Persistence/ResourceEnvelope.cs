using System.Text.Json.Nodes;
using Kiln.Domain.Arm;

namespace Kiln.Control.Persistence;

/// <summary>Builds the ARM envelope every stored resource carries (id, name, type, systemData).</summary>
public static class ResourceEnvelope
{
    /// <summary>
    /// A stored resource for <paramref name="id"/> with <paramref name="body"/> (location, tags,
    /// identity, properties…), stamped with id/name/type and systemData by <paramref name="actor"/>.
    /// </summary>
    public static StoredResource Create(ResourceId id, JsonObject body, string actor, string actorType, DateTimeOffset now,
        StoredResource? previous = null)
    {
        var doc = new JsonObject
        {
            ["id"] = id.ToString(),
            ["name"] = id.Name,
            ["type"] = id.Type,
        };
        foreach (var (key, value) in body)
        {
            if (key is "id" or "name" or "type" or "systemData")
                continue;
            doc[key] = value?.DeepClone();
        }
        var created = previous?.Body["systemData"] as JsonObject;
        doc["systemData"] = new JsonObject
        {
            ["createdBy"] = created?["createdBy"]?.DeepClone() ?? actor,
            ["createdByType"] = created?["createdByType"]?.DeepClone() ?? actorType,
            ["createdAt"] = created?["createdAt"]?.DeepClone() ?? now.ToString("O"),
            ["lastModifiedBy"] = actor,
            ["lastModifiedByType"] = actorType,
            ["lastModifiedAt"] = now.ToString("O"),
        };
        return new StoredResource(id.Key, id.ToString(), id.Type, id.Subscription, doc, previous?.CreatedAt ?? now, now);
    }
}
