using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Identity;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>
/// {scope}/providers/Microsoft.Authorization/roleDefinitions[/{id}] (built-in Owner, Contributor,
/// Reader) and roleAssignments[/{guid}] (PUT, GET, list with $filter=atScope(), DELETE; 409
/// RoleAssignmentExists for a second assignment of the same role to the same principal).
/// </summary>
public static class AuthorizationEndpoints
{
    public static async Task HandleAsync(ArmContext ctx, ResourceId scope, IReadOnlyList<string> tail)
    {
        if (tail.Count is 0 or > 2)
            throw KilnException.BadRequest("InvalidResourceType", "Expected roleDefinitions[/{id}] or roleAssignments[/{id}].");
        string type = "Microsoft.Authorization/" + tail[0];
        ApiVersions.Require(type, ctx.ApiVersion);
        if (!scope.IsSubscription && await ctx.Store.GetAsync(scope.Key, ctx.Aborted) is null)
        {
            await ProviderResourceEndpoints.RequireParentsAsync(ctx, scope);
            throw ProviderResourceEndpoints.NotFound(scope);
        }
        if (tail[0].Equals("roleDefinitions", StringComparison.OrdinalIgnoreCase))
            await RoleDefinitionsAsync(ctx, scope, tail.Count == 2 ? tail[1] : null);
        else if (tail[0].Equals("roleAssignments", StringComparison.OrdinalIgnoreCase))
            await RoleAssignmentsAsync(ctx, scope, tail.Count == 2 ? tail[1] : null);
        else
            throw KilnException.BadRequest("InvalidResourceType", $"Microsoft.Authorization/{tail[0]} is not served by Kiln.");
    }

    private static JsonObject Definition(string subscription, BuiltInRole role) => new()
    {
        ["id"] = role.ResourceId(subscription),
        ["name"] = role.Id,
        ["type"] = ResourceTypes.RoleDefinition,
        ["properties"] = new JsonObject
        {
            ["roleName"] = role.Name,
            ["type"] = "BuiltInRole",
            ["description"] = role.Description,
            ["assignableScopes"] = new JsonArray("/"),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray(role == BuiltInRole.Reader ? "*/read" : "*"),
                ["notActions"] = new JsonArray(),
            }),
        },
    };

    private static async Task RoleDefinitionsAsync(ArmContext ctx, ResourceId scope, string? id)
    {
        if (!HttpMethods.IsGet(ctx.Method))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", "Only the built-in role definitions exist; they are read-only.");
        if (id is not null)
        {
            var role = BuiltInRole.FindById(id)
                ?? throw KilnException.NotFound("RoleDefinitionDoesNotExist", $"The role definition '{id}' does not exist.");
            await ArmResponse.JsonAsync(ctx.Http, 200, Definition(scope.Subscription, role));
            return;
        }
        string filter = ctx.Query("$filter");
        IEnumerable<BuiltInRole> roles = BuiltInRole.All;
        const string prefix = "roleName eq '";
        if (filter.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && filter.EndsWith('\''))
        {
            string name = filter[prefix.Length..^1];
            roles = roles.Where(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
        }
        await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List(roles.Select(r => Definition(scope.Subscription, r))));
    }

    private static async Task RoleAssignmentsAsync(ArmContext ctx, ResourceId scope, string? name)
    {
        if (name is null)
        {
            if (!HttpMethods.IsGet(ctx.Method))
                throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", "Role assignment lists answer GET.");
            bool atScope = ctx.Query("$filter").Contains("atScope()", StringComparison.OrdinalIgnoreCase);
            string principalFilter = PrincipalFilter(ctx.Query("$filter"));
            // Assignments live under their scope, anywhere in the subscription; the filter picks those at, above or below this one.
            await ArmPaging.WriteAsync(ctx, ResourceTypes.RoleAssignment, ResourceId.ForSubscription(scope.Subscription).Key, a =>
            {
                string s = (ImageTemplateKind.Text(a.Body["properties"]?["scope"]) ?? "").ToLowerInvariant();
                bool above = scope.Key == s || scope.Key.StartsWith(s + "/", StringComparison.Ordinal);
                bool below = s.StartsWith(scope.Key + "/", StringComparison.Ordinal);
                bool principalOk = principalFilter.Length == 0 ||
                    string.Equals(ImageTemplateKind.Text(a.Body["properties"]?["principalId"]), principalFilter, StringComparison.OrdinalIgnoreCase);
                return (above || (!atScope && below)) && principalOk;
            });
            return;
        }
        string key = $"{scope.Key}/providers/microsoft.authorization/roleassignments/{name.ToLowerInvariant()}";
        var existing = await ctx.Store.GetAsync(key, ctx.Aborted);
        switch (ctx.Method)
        {
            case var m when HttpMethods.IsGet(m):
                await ArmResponse.JsonAsync(ctx.Http, 200, (existing ?? throw AssignmentNotFound(name)).Body);
                return;
            case var m when HttpMethods.IsDelete(m):
                if (existing is null)
                {
                    await ArmResponse.JsonAsync(ctx.Http, 204, null);
                    return;
                }
                await ctx.Store.DeleteTreeAsync(key, ctx.Aborted);
                await ArmResponse.JsonAsync(ctx.Http, 200, existing.Body);
                return;
            case var m when HttpMethods.IsPut(m):
                await PutAssignmentAsync(ctx, scope, name, key, existing);
                return;
            default:
                throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"Role assignments do not answer {ctx.Method}.");
        }
    }

    private static string PrincipalFilter(string filter)
    {
        const string prefix = "principalId eq '";
        int i = filter.IndexOf(prefix, StringComparison.OrdinalIgnoreCase);
        if (i < 0)
            return "";
        int end = filter.IndexOf('\'', i + prefix.Length);
        return end < 0 ? "" : filter[(i + prefix.Length)..end];
    }

    private static KilnException AssignmentNotFound(string name) =>
        KilnException.NotFound("RoleAssignmentNotFound", $"The role assignment '{name}' is not found.");

    private static async Task PutAssignmentAsync(ArmContext ctx, ResourceId scope, string name, string key, StoredResource? existing)
    {
        if (ArmNames.Check(ResourceTypes.RoleAssignment, name) is { } bad)
            throw KilnException.BadRequest("InvalidRoleAssignmentId", $"The role assignment ID '{name}' is not valid. {bad}", "name");
        var body = await RequestBody.ReadObjectAsync(ctx.Http);
        var errors = new List<ArmErrorDetail>();
        var props = body["properties"] as JsonObject;
        if (props is null)
            errors.Add(new ArmErrorDetail("MissingProperty", "'properties' is required: {roleDefinitionId, principalId}.", "properties"));
        string? roleDefinitionId = props is null ? null : BodyRules.RequiredString(props, "roleDefinitionId", "properties.roleDefinitionId", errors, 512);
        string? principalId = props is null ? null : BodyRules.RequiredString(props, "principalId", "properties.principalId", errors, 64);
        BodyRules.ThrowIfAny(errors);
        var role = BuiltInRole.FindById(roleDefinitionId![(roleDefinitionId!.LastIndexOf('/') + 1)..]);
        if (role is null || !roleDefinitionId.Contains("/providers/Microsoft.Authorization/roleDefinitions/", StringComparison.OrdinalIgnoreCase))
            throw KilnException.BadRequest("RoleDefinitionDoesNotExist", $"The specified role definition '{roleDefinitionId}' does not exist.", "properties.roleDefinitionId");
        if (!ArmNames.IsGuid(principalId!))
            throw KilnException.BadRequest("InvalidPrincipalId", $"A valid principal ID must be provided, got '{principalId}'.", "properties.principalId");
        var principal = await ctx.Store.GetPrincipalAsync(principalId!, ctx.Aborted)
            ?? throw KilnException.BadRequest("PrincipalNotFound", $"Principal {principalId} does not exist in the directory {ctx.Caller.TenantId}.", "properties.principalId");
        string scopeId = scope.ToString();
        var all = await ctx.Store.ListAsync(ResourceTypes.RoleAssignment, ResourceId.ForSubscription(scope.Subscription).Key, ctx.Aborted);
        if (existing is not null || all.Any(a => SameGrant(a, scope.Key, role.Id, principal.ObjectId)))
            throw KilnException.Conflict("RoleAssignmentExists", "The role assignment already exists.");
        string id = $"{scopeId}/providers/Microsoft.Authorization/roleAssignments/{name}";
        var now = ctx.Now.ToString("O");
        var doc = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["type"] = ResourceTypes.RoleAssignment,
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = role.ResourceId(scope.Subscription),
                ["principalId"] = principal.ObjectId,
                ["principalType"] = principal.Kind == PrincipalKind.ManagedIdentity || principal.Kind == PrincipalKind.ServicePrincipal ? "ServicePrincipal" : "User",
                ["scope"] = scopeId,
                ["createdOn"] = now,
                ["updatedOn"] = now,
                ["createdBy"] = ctx.Caller.ObjectId,
                ["updatedBy"] = ctx.Caller.ObjectId,
            },
        };
        var stored = new StoredResource(key, id, ResourceTypes.RoleAssignment, scope.Subscription, doc, ctx.Now, ctx.Now);
        if (!await ctx.Store.InsertAsync(stored, ctx.Aborted))
            throw KilnException.Conflict("RoleAssignmentExists", "The role assignment already exists.");
        await ArmResponse.JsonAsync(ctx.Http, 201, doc);
    }

    private static bool SameGrant(StoredResource a, string scopeKey, string roleId, string principalId)
    {
        var p = a.Body["properties"];
        string? s = ImageTemplateKind.Text(p?["scope"]);
        string? r = ImageTemplateKind.Text(p?["roleDefinitionId"]);
        string? who = ImageTemplateKind.Text(p?["principalId"]);
        return s is not null && s.ToLowerInvariant() == scopeKey &&
               r is not null && r.EndsWith(roleId, StringComparison.OrdinalIgnoreCase) &&
               string.Equals(who, principalId, StringComparison.OrdinalIgnoreCase);
    }

    internal static JsonValueKind Kind(JsonNode? n) => n?.GetValueKind() ?? JsonValueKind.Null;
}
