namespace Kiln.Domain.Templates;

/// <summary><c>identity</c>: AIB supports exactly one user-assigned identity per template.</summary>
public sealed record TemplateIdentity(string UserAssignedIdentityId);
