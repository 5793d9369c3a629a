using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>GET/PUT/PATCH/DELETE of one provider resource and GET of a collection, for any <see cref="IResourceKind"/>.</summary>
public static class ProviderResourceEndpoints
{
    public static async Task HandleAsync(ArmContext ctx, ResourceId id)
    {
        var kind = ResourceKinds.Require(id.Type);
        ApiVersions.Require(kind.Type, ctx.ApiVersion);
        var existing = await ctx.Store.GetAsync(id.Key, ctx.Aborted);
        switch (ctx.Method)
        {
            case var m when HttpMethods.IsGet(m) || HttpMethods.IsHead(m):
                if (existing is null)
                {
                    await RequireParentsAsync(ctx, id);
                    throw NotFound(id);
                }
                await ArmResponse.JsonAsync(ctx.Http, 200, existing.Body);
                return;
            case var m when HttpMethods.IsPut(m):
                await PutAsync(ctx, kind, id, existing);
                return;
            case var m when HttpMethods.IsPatch(m):
                await PatchAsync(ctx, kind, id, existing);
                return;
            case var m when HttpMethods.IsDelete(m):
                await DeleteAsync(ctx, kind, id, existing);
                return;
            default:
                throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"'{kind.Type}' does not answer {ctx.Method}.");
        }
    }

    /// <summary>GET {scope}/…/{type}: every resource of the type under the scope (subscription, group or parent).</summary>
    public static async Task ListAsync(ArmContext ctx, ResourceId scope, string type)
    {
        var kind = ResourceKinds.Require(type);
        ApiVersions.Require(kind.Type, ctx.ApiVersion);
        if (!HttpMethods.IsGet(ctx.Method))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"Collections answer GET, not {ctx.Method}.");
        if (!scope.IsSubscription && await ctx.Store.GetAsync(scope.Key, ctx.Aborted) is null)
        {
            await RequireParentsAsync(ctx, scope);
            throw NotFound(scope);
        }
        await ArmPaging.WriteAsync(ctx, kind.Type, scope.Key);
    }

    public static KilnException NotFound(ResourceId id) => id.IsResourceGroup
        ? ResourceGroupEndpoints.NotFound(id.ResourceGroup!)
        : KilnException.NotFound("ResourceNotFound",
            $"The Resource '{id.Type}/{string.Join('/', id.Names)}' under resource group '{id.ResourceGroup}' was not found.");

    /// <summary>404 for the nearest missing ancestor: the group first, then each parent resource.</summary>
    public static async Task RequireParentsAsync(ArmContext ctx, ResourceId id)
    {
        if (id.ResourceGroup is not null &&
            await ctx.Store.GetAsync(ResourceId.ForResourceGroup(id.Subscription, id.ResourceGroup).Key, ctx.Aborted) is null)
            throw ResourceGroupEndpoints.NotFound(id.ResourceGroup);
        for (var p = id.Parent; p is not null && p.Namespace is not null; p = p.Parent)
        {
            if (await ctx.Store.GetAsync(p.Key, ctx.Aborted) is null)
                throw KilnException.NotFound("ParentResourceNotFound", $"Can not perform requested operation on nested resource. Parent resource '{p}' not found.");
        }
    }

    private static async Task PutAsync(ArmContext ctx, IResourceKind kind, ResourceId id, StoredResource? existing)
    {
        if (!kind.ClientCreatable)
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "OperationNotAllowed",
                $"'{kind.Type}' resources are created by Kiln builds, not by PUT.");
        if (ArmNames.Check(kind.Type, id.Name) is { } bad)
            throw KilnException.BadRequest("InvalidResourceName", $"Resource name '{id.Name}' is invalid. {bad}", "name");
        await RequireParentsAsync(ctx, id);
        var body = await RequestBody.ReadObjectAsync(ctx.Http);
        if (existing is not null && kind.CreateOnly)
            throw KilnException.Conflict("Conflict", "Update/Upgrade of image templates is currently not supported. " +
                "Please change the name of the template you are submitting, or delete the existing template first.");
        var prepared = await kind.PrepareAsync(ctx, id, body, existing);
        // Keep the casing of the first creation for the id, as ARM does.
        var keptId = existing is not null && ResourceId.TryParse(existing.Id, out var old) ? old : id;
        var stored = ResourceEnvelope.Create(keptId, prepared, ctx.Actor, "Application", ctx.Now, existing);
        if (!kind.Tracked)
            stored.Body.Remove("systemData");
        if (existing is null)
        {
            if (!await ctx.Store.InsertAsync(stored, ctx.Aborted))
                throw KilnException.Conflict("Conflict", $"'{id}' was created by a concurrent request.");
        }
        else
        {
            await ctx.Store.UpsertAsync(stored, ctx.Aborted);
        }
        var op = await ctx.Plane.Operations.CompletedAsync(id.Subscription, id.Namespace!, LocationOf(stored), stored.Id, "put", ctx.Aborted);
        Lro.AddHeaders(ctx, op);
        ctx.Http.Response.Headers.Remove("Location"); // PUT: clients follow Azure-AsyncOperation, then GET the resource
        await ArmResponse.JsonAsync(ctx.Http, existing is null ? 201 : 200, stored.Body);
    }

    private static async Task PatchAsync(ArmContext ctx, IResourceKind kind, ResourceId id, StoredResource? existing)
    {
        if (existing is null)
        {
            await RequireParentsAsync(ctx, id);
            throw NotFound(id);
        }
        var body = await RequestBody.ReadObjectAsync(ctx.Http);
        var errors = new List<ArmErrorDetail>();
        var doc = (JsonObject)existing.Body.DeepClone();
        foreach (var (key, _) in body)
        {
            if (key is not ("tags" or "identity"))
                errors.Add(new ArmErrorDetail("PropertyChangeNotAllowed", $"PATCH may only change 'tags' and 'identity', not '{key}'.", key));
        }
        if (body.ContainsKey("tags"))
            doc["tags"] = BodyRules.Tags(body["tags"], errors);
        if (body.ContainsKey("identity"))
        {
            if (kind is not ImageTemplateKind)
                errors.Add(new ArmErrorDetail("PropertyChangeNotAllowed", $"'{kind.Type}' has no identity to change.", "identity"));
            else
                doc["identity"] = await ImageTemplateKind.ResolveIdentityAsync(ctx, body["identity"], errors);
        }
        BodyRules.ThrowIfAny(errors);
        var stored = ResourceEnvelope.Create(ResourceId.TryParse(existing.Id, out var keptId) ? keptId : id, doc, ctx.Actor, "Application", ctx.Now, existing);
        await ctx.Store.UpsertAsync(stored, ctx.Aborted);
        await ArmResponse.JsonAsync(ctx.Http, 200, stored.Body);
    }

    private static async Task DeleteAsync(ArmContext ctx, IResourceKind kind, ResourceId id, StoredResource? existing)
    {
        if (existing is null)
        {
            await RequireParentsAsync(ctx, id);
            await ArmResponse.JsonAsync(ctx.Http, 204, null);
            return;
        }
        if (!kind.ClientCreatable && kind is not (GalleryImageVersionKind or ManagedImageKind))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "OperationNotAllowed", $"'{kind.Type}' resources cannot be deleted directly.");
        if (kind is GalleryKind or GalleryImageKind)
        {
            // Azure refuses to delete a gallery or definition that still has children.
            var childType = kind is GalleryKind ? ResourceTypes.GalleryImage : ResourceTypes.GalleryImageVersion;
            if ((await ctx.Store.ListAsync(childType, existing.Key, ctx.Aborted)).Count > 0)
                throw KilnException.Conflict("CannotDeleteResource",
                    $"'{existing.Id}' still contains {ResourceTypes.LastSegment(childType)}; delete them first.");
        }
        if (kind is ImageTemplateKind)
            await ctx.Plane.Runs.RequestCancelAsync(existing, ctx.Aborted);
        await ResourceGroupEndpoints.DeletePrincipalsBelowAsync(ctx, existing.Key);
        await ctx.Plane.VersionStorage.DeleteTreeAsync(existing.Key, ctx.Aborted); // frees the region storage of versions too
        await kind.OnDeletedAsync(ctx, existing);
        var op = await ctx.Plane.Operations.CompletedAsync(id.Subscription, id.Namespace!, LocationOf(existing), existing.Id, "delete", ctx.Aborted);
        Lro.AddHeaders(ctx, op);
        await ArmResponse.JsonAsync(ctx.Http, 202, null);
    }

    public static string LocationOf(StoredResource r) =>
        r.Body["location"] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrEmpty(s) ? s : "global";
}
