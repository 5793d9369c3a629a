using System.Text.Json.Nodes;

namespace Kiln.Control.Persistence;

/// <summary>
/// One ARM resource as stored: the JSON document clients see (id, name, type, location, tags,
/// identity, properties, systemData), keyed by its lower-case id. Type is the canonical ARM type.
/// </summary>
public sealed record StoredResource(
    string Key,
    string Id,
    string Type,
    string Subscription,
    JsonObject Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset ChangedAt);
