namespace Kiln.Domain.Identity;

/// <summary>What a directory object is; ARM's principalType and Graph's @odata.type derive from it.</summary>
public enum PrincipalKind
{
    /// <summary>An application's service principal that can log in with a client secret.</summary>
    ServicePrincipal,

    /// <summary>The service principal behind a user-assigned managed identity (no secret).</summary>
    ManagedIdentity,
}
