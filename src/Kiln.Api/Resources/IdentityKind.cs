using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>Microsoft.ManagedIdentity/userAssignedIdentities: each gets a directory principal (principalId, clientId).</summary>
public sealed class IdentityKind : IResourceKind
{
    public string Type => ResourceTypes.UserAssignedIdentity;
    public bool Tracked => true;
    public bool CreateOnly => false;
    public bool ClientCreatable => true;

    public async Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing)
    {
        var errors = new List<ArmErrorDetail>();
        string? location = BodyRules.NormalizeLocation(body["location"], errors, true);
        var tags = BodyRules.Tags(body["tags"], errors);
        BodyRules.ThrowIfAny(errors);
        JsonObject properties;
        if (existing?.Body["properties"] is JsonObject kept)
        {
            properties = (JsonObject)kept.DeepClone();
        }
        else
        {
            var principal = await ctx.Plane.Directory.CreateManagedIdentityPrincipalAsync(id.Name, ctx.Aborted);
            properties = new JsonObject
            {
                ["tenantId"] = principal.TenantId,
                ["principalId"] = principal.ObjectId,
                ["clientId"] = principal.ClientId,
            };
        }
        return new JsonObject { ["location"] = location, ["tags"] = tags, ["properties"] = properties };
    }

    public async Task OnDeletedAsync(ArmContext ctx, StoredResource deleted)
    {
        if (deleted.Body["properties"]?["principalId"]?.GetValue<string>() is { } principalId)
            await ctx.Store.DeletePrincipalAsync(principalId, ctx.Aborted);
    }
}
