using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>imageTemplates/runOutputs: written by builds (GalleryImageVersions.RecordRunOutputAsync), read by clients.</summary>
public sealed class RunOutputKind : IResourceKind
{
    public string Type => ResourceTypes.ImageTemplateRunOutput;
    public bool Tracked => false;
    public bool CreateOnly => false;
    public bool ClientCreatable => false;

    public Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing) =>
        throw new KilnException(KilnErrorKind.MethodNotAllowed, "OperationNotAllowed", "Run outputs are written by builds.");

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted) => Task.CompletedTask;
}
