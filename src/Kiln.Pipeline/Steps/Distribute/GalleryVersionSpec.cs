using Kiln.Domain.Templates;

namespace Kiln.Pipeline.Steps.Distribute;

/// <summary>What a SharedImage distribution made, for the version resource.</summary>
/// <param name="Replicas">Every region holding the manifest (home region first), as published.</param>
/// <param name="OptimizationSeconds">How long the boot optimization took; null when not optimized.</param>
public sealed record GalleryVersionSpec(
    string DefinitionId,
    string Version,
    string HomeRegion,
    IReadOnlyList<TargetRegion> Replicas,
    bool ExcludeFromLatest,
    string StorageAccountType,
    long SizeBytes,
    string ManifestName,
    bool Optimized,
    long BootPackBytes,
    double? OptimizationSeconds,
    IReadOnlyDictionary<string, string> Tags);
