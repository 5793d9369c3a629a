using Kiln.Api.Resources;
using Kiln.Domain.Arm;

namespace Kiln.Api.Http;

/// <summary>
/// Routes an authenticated ARM path (segments, empty ones already dropped, matched
/// case-insensitively) to its endpoint:
/// <code>
///   tenants | subscriptions[/{s}]
///   /subscriptions/{s}/resourcegroups[/{rg}]
///   /subscriptions/{s}/providers[/{ns}[/register]]      …/{ns}/locations/{l}/operation(Statuse|Result)s/{id}
///   {scope}/providers/Microsoft.Authorization/{roleDefinitions|roleAssignments}[/{id}]
///   /subscriptions/{s}[/resourceGroups/{rg}]/providers/{ns}/{type}[/{name}[/{child}[/{name}…]]][/{action}]
/// </code>
/// </summary>
public static class ArmDispatcher
{
    public static async Task DispatchAsync(ArmContext ctx, string[] s)
    {
        if (Is(s, 0, "tenants") && s.Length == 1)
        {
            await SubscriptionEndpoints.ListTenantsAsync(ctx);
            return;
        }
        if (Is(s, 0, "providers"))
        {
            // Tenant-level provider paths (e.g. …/operations) carry no subscription to scope by.
            await SubscriptionEndpoints.ProviderOperationsAsync(ctx, s);
            return;
        }
        if (!Is(s, 0, "subscriptions"))
            throw KilnException.NotFound("InvalidRequestUri", "Kiln serves ARM paths under /subscriptions and /tenants.");
        if (s.Length == 1)
        {
            await SubscriptionEndpoints.ListSubscriptionsAsync(ctx);
            return;
        }
        string sub = s[1];
        SubscriptionEndpoints.RequireVisible(ctx, sub);
        sub = ctx.Caller.Subscriptions.First(x => x.Equals(sub, StringComparison.OrdinalIgnoreCase));
        var rest = s[2..];
        if (rest.Length == 0)
        {
            await SubscriptionEndpoints.GetSubscriptionAsync(ctx, sub);
            return;
        }
        if (Is(rest, 0, "resourceGroups") && rest.Length <= 2)
        {
            if (rest.Length == 1)
                await ResourceGroupEndpoints.ListAsync(ctx, sub);
            else
                await ResourceGroupEndpoints.HandleAsync(ctx, sub, rest[1]);
            return;
        }
        int p = LastProviders(s);
        if (p < 0)
            throw KilnException.BadRequest("InvalidRequestUri", $"'/{string.Join('/', s)}' is not an ARM resource path.");
        var scopeSegments = s[..p];
        var tail = s[(p + 1)..];
        if (tail.Length == 0)
        {
            if (scopeSegments.Length != 2)
                throw KilnException.BadRequest("InvalidRequestUri", "A provider namespace is missing after 'providers'.");
            await SubscriptionEndpoints.ProvidersAsync(ctx, sub, []);
            return;
        }
        var scope = ResourceId.FromSegments([.. scopeSegments])
            ?? throw KilnException.BadRequest("InvalidRequestUri", $"'/{string.Join('/', scopeSegments)}' is not a valid scope.");
        if (scope.Subscription != sub)
            scope = ResourceId.FromSegments(["subscriptions", sub, .. scopeSegments[2..]])!;
        string ns = tail[0];
        if (ns.Equals("Microsoft.Authorization", StringComparison.OrdinalIgnoreCase))
        {
            await AuthorizationEndpoints.HandleAsync(ctx, scope, tail[1..]);
            return;
        }
        if (!scope.IsSubscription && !scope.IsResourceGroup)
            throw KilnException.BadRequest("InvalidRequestUri", $"Extension resources of '{ns}' are not served by Kiln.");
        if (scope.IsSubscription)
        {
            if (tail.Length <= 2 && (tail.Length == 1 || Is(tail, 1, "register") || Is(tail, 1, "unregister")) &&
                (tail.Length == 1 || ctx.Method == "POST"))
            {
                await SubscriptionEndpoints.ProvidersAsync(ctx, sub, tail);
                return;
            }
            if (tail.Length == 5 && Is(tail, 1, "locations") && (Is(tail, 3, "operationStatuses") || Is(tail, 3, "operationResults")))
            {
                await OperationEndpoints.HandleAsync(ctx, sub, tail[3], tail[4]);
                return;
            }
            if (tail.Length == 2)
            {
                await ProviderResourceEndpoints.ListAsync(ctx, scope, ns + "/" + tail[1]);
                return;
            }
            throw KilnException.BadRequest("InvalidRequestUri", "Provider resources live in resource groups: /subscriptions/{s}/resourceGroups/{rg}/providers/….");
        }
        // Resource-group scope: {ns}/{t1}/{n1}/{t2}/{n2}… with an optional trailing collection or action.
        var typeAndNames = tail[1..];
        if (typeAndNames.Length == 0)
            throw KilnException.BadRequest("InvalidResourceType", $"A resource type is missing after '{ns}'.");
        if (typeAndNames.Length % 2 == 0)
        {
            var id = ResourceId.FromSegments([.. scopeSegments[..2], "resourceGroups", scope.ResourceGroup!, "providers", ns, .. typeAndNames])
                ?? throw KilnException.BadRequest("InvalidRequestUri", "The resource path could not be parsed.");
            await ProviderResourceEndpoints.HandleAsync(ctx, id);
            return;
        }
        string last = typeAndNames[^1];
        if (typeAndNames.Length == 1)
        {
            await ProviderResourceEndpoints.ListAsync(ctx, scope, ns + "/" + last);
            return;
        }
        var parent = ResourceId.FromSegments([.. scopeSegments[..2], "resourceGroups", scope.ResourceGroup!, "providers", ns, .. typeAndNames[..^1]])
            ?? throw KilnException.BadRequest("InvalidRequestUri", "The resource path could not be parsed.");
        var childType = parent.Type + "/" + last;
        if (ResourceKinds.Find(childType) is not null)
        {
            await ProviderResourceEndpoints.ListAsync(ctx, parent, childType);
            return;
        }
        if (parent.Type == ResourceTypes.ImageTemplate)
        {
            await ImageTemplateActions.HandleAsync(ctx, parent, last);
            return;
        }
        throw KilnException.BadRequest("InvalidResourceType", $"The resource type '{childType}' is not served by Kiln.", "type");
    }

    private static bool Is(string[] s, int i, string word) => s.Length > i && s[i].Equals(word, StringComparison.OrdinalIgnoreCase);

    private static int LastProviders(string[] s)
    {
        for (int i = s.Length - 1; i >= 2; i--)
        {
            if (i % 2 == 0 && s[i].Equals("providers", StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }
}
