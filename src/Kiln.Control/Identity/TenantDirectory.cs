using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Identity;

namespace Kiln.Control.Identity;

/// <summary>
/// Kiln's own directory: one tenant, its subscriptions and principals. Service principals log in
/// with a client secret (only its SHA-256 is stored); managed identities get a principal so Graph
/// can resolve their clientId to a principalId. A principal sees only the subscriptions it owns.
/// </summary>
public sealed class TenantDirectory(IResourceStore store, TimeProvider clock)
{
    private const string TenantSetting = "tenantId";
    private const string PrimarySubscriptionSetting = "primarySubscriptionId";
    private const string PrimaryClientSetting = "primaryClientId";

    /// <summary>Creates tenant, subscription and service principal on the first start; reads them afterwards.</summary>
    public async Task<TenantInfo> EnsureTenantAsync(CancellationToken ct)
    {
        var tenant = await store.GetSettingAsync(TenantSetting, ct);
        if (tenant is not null)
        {
            return new TenantInfo(tenant,
                await store.GetSettingAsync(PrimarySubscriptionSetting, ct) ?? throw Corrupt(PrimarySubscriptionSetting),
                await store.GetSettingAsync(PrimaryClientSetting, ct) ?? throw Corrupt(PrimaryClientSetting), null);
        }
        tenant = Guid.NewGuid().ToString("D");
        await store.SetSettingAsync(TenantSetting, tenant, ct);
        var (principal, secret) = await CreateServicePrincipalAsync("kiln", ct);
        await store.SetSettingAsync(PrimarySubscriptionSetting, principal.Subscriptions[0], ct);
        await store.SetSettingAsync(PrimaryClientSetting, principal.ClientId, ct);
        return new TenantInfo(tenant, principal.Subscriptions[0], principal.ClientId, secret);
    }

    public async Task<string> TenantIdAsync(CancellationToken ct) =>
        await store.GetSettingAsync(TenantSetting, ct) ?? throw Corrupt(TenantSetting);

    /// <summary>A new service principal owning a new subscription; returns the secret (shown once).</summary>
    public async Task<(Principal Principal, string Secret)> CreateServicePrincipalAsync(string displayName, CancellationToken ct)
    {
        string tenant = await TenantIdAsync(ct);
        string subscription = Guid.NewGuid().ToString("D");
        // Letters and digits only (no leading '-' for command lines to mistake for an option).
        string secret = "kiln" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var principal = new Principal(Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"), tenant, displayName,
            PrincipalKind.ServicePrincipal, Hash(secret), [subscription]);
        await store.PutPrincipalAsync(principal, ct);
        var id = ResourceId.ForSubscription(subscription);
        await store.UpsertAsync(new StoredResource(id.Key, id.ToString(), ResourceTypes.Subscription, subscription, new JsonObject
        {
            ["id"] = id.ToString(),
            ["subscriptionId"] = subscription,
            ["tenantId"] = tenant,
            ["displayName"] = $"{displayName} subscription",
            ["state"] = "Enabled",
            ["subscriptionPolicies"] = new JsonObject
            {
                ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "Kiln", ["spendingLimit"] = "Off",
            },
        }, clock.GetUtcNow(), clock.GetUtcNow()), ct);
        return (principal, secret);
    }

    /// <summary>The principal when clientId and secret match, else null (constant-time compare of hashes).</summary>
    public async Task<Principal?> AuthenticateAsync(string clientId, string secret, CancellationToken ct)
    {
        var principal = await store.FindPrincipalByClientIdAsync(clientId, ct);
        if (principal?.SecretHash is null)
            return null;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(principal.SecretHash), Encoding.ASCII.GetBytes(Hash(secret)))
            ? principal : null;
    }

    public async Task<Principal> CreateManagedIdentityPrincipalAsync(string displayName, CancellationToken ct)
    {
        var principal = new Principal(Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"), await TenantIdAsync(ct), displayName,
            PrincipalKind.ManagedIdentity, null, []);
        await store.PutPrincipalAsync(principal, ct);
        return principal;
    }

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static InvalidDataException Corrupt(string setting) =>
        new($"The store has a tenant but no '{setting}' setting; the data folder is damaged (restore it or start with an empty one).");
}
