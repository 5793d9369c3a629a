namespace Kiln.Storage.Inspection;

/// <summary>Whether Azure's VM boot optimization applies; when not, each reason says what to change.</summary>
public sealed record VmBootOptimizationFacts(bool Eligible, IReadOnlyList<string> Reasons);
