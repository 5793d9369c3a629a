using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>Microsoft.Compute/galleries/images/versions: read, list, delete; created by builds (GalleryImageVersions.CreateAsync).</summary>
public sealed class GalleryImageVersionKind : IResourceKind
{
    public string Type => ResourceTypes.GalleryImageVersion;
    public bool Tracked => true;
    public bool CreateOnly => false;
    public bool ClientCreatable => false;

    public Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing) =>
        throw new KilnException(KilnErrorKind.MethodNotAllowed, "OperationNotAllowed", "Image versions are created by Kiln builds.");

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted) => Task.CompletedTask;
}
