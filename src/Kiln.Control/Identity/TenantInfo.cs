namespace Kiln.Control.Identity;

/// <summary>The built-in tenant and its first principal. ClientSecret is only known on the start that created it.</summary>
public sealed record TenantInfo(string TenantId, string SubscriptionId, string ClientId, string? ClientSecret);
