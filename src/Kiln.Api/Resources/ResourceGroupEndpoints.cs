using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Identity;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>Resource groups: PUT/GET/HEAD/PATCH/DELETE (delete cascades to everything inside), list.</summary>
public static class ResourceGroupEndpoints
{
    public static async Task ListAsync(ArmContext ctx, string subscription)
    {
        ApiVersions.Require(ResourceTypes.ResourceGroup, ctx.ApiVersion);
        if (!HttpMethods.IsGet(ctx.Method))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"Resource group lists answer GET, not {ctx.Method}.");
        await ArmPaging.WriteAsync(ctx, ResourceTypes.ResourceGroup, ResourceId.ForSubscription(subscription).Key);
    }

    public static async Task HandleAsync(ArmContext ctx, string subscription, string name)
    {
        ApiVersions.Require(ResourceTypes.ResourceGroup, ctx.ApiVersion);
        var id = ResourceId.ForResourceGroup(subscription, name);
        var existing = await ctx.Store.GetAsync(id.Key, ctx.Aborted);
        switch (ctx.Method)
        {
            case var m when HttpMethods.IsGet(m) || HttpMethods.IsHead(m):
                if (existing is null)
                    throw NotFound(name);
                await ArmResponse.JsonAsync(ctx.Http, HttpMethods.IsHead(m) ? 204 : 200, HttpMethods.IsHead(m) ? null : existing.Body);
                return;
            case var m when HttpMethods.IsPut(m) || HttpMethods.IsPatch(m):
                await PutAsync(ctx, id, existing, HttpMethods.IsPatch(m));
                return;
            case var m when HttpMethods.IsDelete(m):
                await DeleteAsync(ctx, id, existing);
                return;
            default:
                throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"Resource groups do not answer {ctx.Method}.");
        }
    }

    public static KilnException NotFound(string name) =>
        KilnException.NotFound("ResourceGroupNotFound", $"Resource group '{name}' could not be found.");

    private static async Task PutAsync(ArmContext ctx, ResourceId id, StoredResource? existing, bool patch)
    {
        if (patch && existing is null)
            throw NotFound(id.ResourceGroup!);
        if (ArmNames.Check(ResourceTypes.ResourceGroup, id.ResourceGroup!) is { } bad)
            throw KilnException.BadRequest("InvalidResourceGroupName", bad, "name");
        var body = await RequestBody.ReadObjectAsync(ctx.Http);
        var errors = new List<ArmErrorDetail>();
        string? location = patch ? existing!.Body["location"]?.GetValue<string>() : BodyRules.NormalizeLocation(body["location"], errors, true);
        if (existing is not null && !patch && location is not null &&
            !string.Equals(location, existing.Body["location"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase))
            throw KilnException.Conflict("InvalidResourceGroupLocation",
                $"Invalid resource group location '{location}'. The resource group '{id.ResourceGroup}' already exists in location " +
                $"'{existing.Body["location"]}'. A resource group cannot change location.");
        var tags = body.ContainsKey("tags") ? BodyRules.Tags(body["tags"], errors) : (JsonObject?)existing?.Body["tags"]?.DeepClone() ?? new JsonObject();
        BodyRules.ThrowIfAny(errors);
        // Keep the name's casing from creation: ARM reports the group as first created.
        var keptId = existing is null ? id : ResourceId.ForResourceGroup(id.Subscription, existing.Body["name"]!.GetValue<string>());
        var doc = new JsonObject
        {
            ["id"] = keptId.ToString(),
            ["name"] = keptId.ResourceGroup,
            ["type"] = ResourceTypes.ResourceGroup,
            ["location"] = location,
            ["tags"] = tags,
            ["managedBy"] = null,
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        };
        var now = ctx.Now;
        await ctx.Store.UpsertAsync(new StoredResource(keptId.Key, keptId.ToString(), ResourceTypes.ResourceGroup, id.Subscription, doc,
            existing?.CreatedAt ?? now, now), ctx.Aborted);
        await ArmResponse.JsonAsync(ctx.Http, existing is null ? 201 : 200, doc);
    }

    private static async Task DeleteAsync(ArmContext ctx, ResourceId id, StoredResource? existing)
    {
        if (existing is null)
        {
            await ArmResponse.JsonAsync(ctx.Http, 204, null);
            return;
        }
        await DeletePrincipalsBelowAsync(ctx, id.Key);
        await ctx.Plane.VersionStorage.DeleteTreeAsync(id.Key, ctx.Aborted); // cascades to gallery versions: frees their region storage
        var op = await ctx.Plane.Operations.CompletedAsync(id.Subscription, "Microsoft.Resources",
            existing.Body["location"]?.GetValue<string>() ?? "global", existing.Id, "delete", ctx.Aborted);
        Lro.AddHeaders(ctx, op);
        await ArmResponse.JsonAsync(ctx.Http, 202, null);
    }

    /// <summary>Managed identities own a directory principal; deleting their group must remove those too.</summary>
    public static async Task DeletePrincipalsBelowAsync(ArmContext ctx, string key)
    {
        foreach (var identity in await ctx.Store.ListAsync(ResourceTypes.UserAssignedIdentity, key, ctx.Aborted))
        {
            if (identity.Body["properties"]?["principalId"]?.GetValue<string>() is { } principalId)
            {
                var p = await ctx.Store.GetPrincipalAsync(principalId, ctx.Aborted);
                if (p?.Kind == PrincipalKind.ManagedIdentity)
                    await ctx.Store.DeletePrincipalAsync(principalId, ctx.Aborted);
            }
        }
    }
}
