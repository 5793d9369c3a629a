namespace Kiln.Domain.Templates;

/// <summary>A gallery replication target: region, replica count (1..100) and storage type.</summary>
public sealed record TargetRegion(string Name, int ReplicaCount, string StorageAccountType);
