using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>
/// What differs between provider resource types; <see cref="ProviderResourceEndpoints"/> does the
/// common ARM work (api-version, name, parents, body limits, envelope, LRO headers, cascade).
/// </summary>
public interface IResourceKind
{
    string Type { get; }

    /// <summary>Tracked resources need a location; proxy resources (triggers, runOutputs) do not.</summary>
    bool Tracked { get; }

    /// <summary>PUT over an existing resource is 409 (image templates are immutable).</summary>
    bool CreateOnly { get; }

    /// <summary>False for resources only Kiln itself creates (image versions, run outputs).</summary>
    bool ClientCreatable { get; }

    /// <summary>
    /// Validates the client's body and returns what to store (location, tags, identity, properties…).
    /// Throws <see cref="KilnException"/> with every problem in its details.
    /// </summary>
    Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing);

    /// <summary>Extra work after the resource and its children were deleted (e.g. a principal).</summary>
    Task OnDeletedAsync(ArmContext ctx, StoredResource deleted);
}
