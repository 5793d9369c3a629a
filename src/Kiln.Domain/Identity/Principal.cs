namespace Kiln.Domain.Identity;

/// <summary>
/// A directory object of Kiln's built-in tenant. ObjectId is ARM's principalId; ClientId is the
/// appId a client logs in with (and what az resolves through Graph). SecretHash is the SHA-256 of
/// the client secret (hex), null for managed identities, which never log in here.
/// </summary>
public sealed record Principal(
    string ObjectId,
    string ClientId,
    string TenantId,
    string DisplayName,
    PrincipalKind Kind,
    string? SecretHash,
    IReadOnlyList<string> Subscriptions);
