using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Domain.Identity;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Graph;

/// <summary>
/// The Microsoft Graph subset az's role commands use (az-cli-local.md §3.5): look up service
/// principals by servicePrincipalNames (a managed identity's clientId) or appId, get one by id,
/// directoryObjects/getByIds, and an empty users search.
/// </summary>
public static class GraphEndpoints
{
    public static async Task HandleAsync(ArmContext ctx, string[] s)
    {
        // s = ["graph", "v1.0", …]
        if (s.Length >= 3 && s[2].Equals("servicePrincipals", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(ctx.Method))
        {
            if (s.Length == 4)
            {
                var p = await ctx.Store.GetPrincipalAsync(s[3], ctx.Aborted);
                if (p is null || p.TenantId != ctx.Caller.TenantId)
                {
                    await NotFoundAsync(ctx, s[3]);
                    return;
                }
                await ArmResponse.JsonAsync(ctx.Http, 200, ServicePrincipal(p));
                return;
            }
            string value = QuotedValue(ctx.Query("$filter"));
            var found = value.Length == 0 ? null : await ctx.Store.FindPrincipalByClientIdAsync(value, ctx.Aborted);
            var items = found is null || found.TenantId != ctx.Caller.TenantId ? [] : new[] { (JsonNode)ServicePrincipal(found) };
            await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List(items));
            return;
        }
        if (s.Length == 4 && s[2].Equals("directoryObjects", StringComparison.OrdinalIgnoreCase) &&
            s[3].Equals("getByIds", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(ctx.Method))
        {
            var body = await RequestBody.ReadObjectAsync(ctx.Http);
            var results = new List<JsonNode>();
            if (body["ids"] is JsonArray ids)
            {
                foreach (var id in ids.Take(1000))
                {
                    if (id is JsonValue v && v.TryGetValue(out string? text) && await ctx.Store.GetPrincipalAsync(text, ctx.Aborted) is { } p &&
                        p.TenantId == ctx.Caller.TenantId)
                        results.Add(ServicePrincipal(p));
                }
            }
            await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List(results));
            return;
        }
        if (s.Length == 3 && s[2].Equals("users", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(ctx.Method))
        {
            await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List([]));
            return;
        }
        await ArmResponse.JsonAsync(ctx.Http, 404, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound", ["message"] = $"'{ctx.Http.Request.Path}' is not served by Kiln's Graph subset." },
        });
    }

    private static Task NotFoundAsync(ArmContext ctx, string id) => ArmResponse.JsonAsync(ctx.Http, 404, new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound", ["message"] = $"Resource '{id}' does not exist." },
    });

    /// <summary>The first '…' literal of an OData filter (servicePrincipalNames/any(c:c eq 'X') or appId eq 'X').</summary>
    private static string QuotedValue(string filter)
    {
        int start = filter.IndexOf('\'');
        int end = start < 0 ? -1 : filter.IndexOf('\'', start + 1);
        return end < 0 ? "" : filter[(start + 1)..end];
    }

    private static JsonObject ServicePrincipal(Principal p) => new()
    {
        ["@odata.type"] = "#microsoft.graph.servicePrincipal",
        ["id"] = p.ObjectId,
        ["appId"] = p.ClientId,
        ["displayName"] = p.DisplayName,
        ["servicePrincipalNames"] = new JsonArray(p.ClientId),
        ["servicePrincipalType"] = p.Kind == PrincipalKind.ManagedIdentity ? "ManagedIdentity" : "Application",
        ["appOwnerOrganizationId"] = p.TenantId,
    };
}
