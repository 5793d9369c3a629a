using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Domain.Arm;
using Microsoft.AspNetCore.Http;

namespace Kiln.Api.Resources;

/// <summary>Tenants, subscriptions and resource providers (show, list, register: Registered at once).</summary>
public static class SubscriptionEndpoints
{
    public static async Task ListTenantsAsync(ArmContext ctx)
    {
        RequireGet(ctx);
        string t = ctx.Caller.TenantId;
        await ArmResponse.JsonAsync(ctx.Http, 200, new JsonObject
        {
            ["value"] = new JsonArray(new JsonObject { ["id"] = $"/tenants/{t}", ["tenantId"] = t, ["displayName"] = "Kiln" }),
        });
    }

    public static async Task ListSubscriptionsAsync(ArmContext ctx)
    {
        RequireGet(ctx);
        var items = new List<JsonNode>();
        foreach (var s in ctx.Caller.Subscriptions)
        {
            var stored = await ctx.Store.GetAsync(ResourceId.ForSubscription(s).Key, ctx.Aborted);
            if (stored is not null)
                items.Add(stored.Body);
        }
        await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List(items));
    }

    public static async Task GetSubscriptionAsync(ArmContext ctx, string subscription)
    {
        RequireGet(ctx);
        var stored = await ctx.Store.GetAsync(ResourceId.ForSubscription(subscription).Key, ctx.Aborted)
            ?? throw NotFound(subscription);
        await ArmResponse.JsonAsync(ctx.Http, 200, stored.Body);
    }

    /// <summary>404 unless the caller owns the subscription (no hint that others exist).</summary>
    public static void RequireVisible(ArmContext ctx, string subscription)
    {
        if (!ctx.Caller.Subscriptions.Contains(subscription, StringComparer.OrdinalIgnoreCase))
            throw NotFound(subscription);
    }

    public static KilnException NotFound(string subscription) =>
        KilnException.NotFound("SubscriptionNotFound", $"The subscription '{subscription}' could not be found.");

    /// <summary>/subscriptions/{s}/providers[/{ns}[/register|/unregister]].</summary>
    public static async Task ProvidersAsync(ArmContext ctx, string subscription, IReadOnlyList<string> tail)
    {
        if (tail.Count == 0)
        {
            RequireGet(ctx);
            var all = new List<JsonNode>();
            foreach (var ns in ResourceTypes.Namespaces)
                all.Add(ProviderCatalog.Provider(subscription, ns, await StateAsync(ctx, subscription, ns)));
            await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List(all));
            return;
        }
        string name = ResourceTypes.CanonicalNamespace(tail[0])
            ?? throw KilnException.NotFound("InvalidResourceNamespace", $"The resource namespace '{tail[0]}' is invalid.");
        if (tail.Count == 1)
        {
            RequireGet(ctx);
            await ArmResponse.JsonAsync(ctx.Http, 200, ProviderCatalog.Provider(subscription, name, await StateAsync(ctx, subscription, name)));
            return;
        }
        if (tail.Count == 2 && HttpMethods.IsPost(ctx.Method) &&
            (tail[1].Equals("register", StringComparison.OrdinalIgnoreCase) || tail[1].Equals("unregister", StringComparison.OrdinalIgnoreCase)))
        {
            string state = tail[1].Equals("register", StringComparison.OrdinalIgnoreCase) ? "Registered" : "NotRegistered";
            await ctx.Store.SetSettingAsync(SettingName(subscription, name), state, ctx.Aborted);
            await ArmResponse.JsonAsync(ctx.Http, 200, ProviderCatalog.Provider(subscription, name, state));
            return;
        }
        throw KilnException.BadRequest("InvalidResourceType",
            $"The resource type '{string.Join('/', tail.Skip(1))}' could not be found in the namespace '{name}'.");
    }

    /// <summary>GET /providers/{ns}/operations: the operations a provider offers (what `az provider operation` lists).</summary>
    public static async Task ProviderOperationsAsync(ArmContext ctx, string[] s)
    {
        RequireGet(ctx);
        if (s.Length != 3 || !s[2].Equals("operations", StringComparison.OrdinalIgnoreCase) || ResourceTypes.CanonicalNamespace(s[1]) is not { } ns)
            throw KilnException.NotFound("InvalidRequestUri", $"'/{string.Join('/', s)}' is not served; try /providers/{{namespace}}/operations.");
        var ops = new[] { "read", "write", "delete" }.Select(verb => (JsonNode)new JsonObject
        {
            ["name"] = $"{ns}/{verb}",
            ["display"] = new JsonObject { ["provider"] = ns, ["operation"] = verb },
        });
        await ArmResponse.JsonAsync(ctx.Http, 200, ArmResponse.List(ops));
    }

    private static async Task<string> StateAsync(ArmContext ctx, string subscription, string ns) =>
        await ctx.Store.GetSettingAsync(SettingName(subscription, ns), ctx.Aborted) ??
        (ns is "Microsoft.Authorization" or "Microsoft.Resources" ? "Registered" : "NotRegistered");

    private static string SettingName(string subscription, string ns) =>
        $"provider:{subscription.ToLowerInvariant()}:{ns.ToLowerInvariant()}";

    private static void RequireGet(ArmContext ctx)
    {
        if (!HttpMethods.IsGet(ctx.Method) && !HttpMethods.IsHead(ctx.Method))
            throw new KilnException(KilnErrorKind.MethodNotAllowed, "MethodNotAllowed", $"This path only answers GET, not {ctx.Method}.");
    }
}
