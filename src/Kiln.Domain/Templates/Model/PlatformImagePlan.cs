namespace Kiln.Domain.Templates;

/// <summary><c>source.planInfo</c>: all three fields required when present.</summary>
public sealed record PlatformImagePlan(string PlanName, string PlanProduct, string PlanPublisher);
