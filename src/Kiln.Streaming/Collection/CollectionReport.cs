using Kiln.Streaming.Store;

namespace Kiln.Streaming.Collection;

/// <summary>
/// What a collection found: <see cref="Freed"/> lists the objects deleted (or, in a dry run, the ones
/// that would be); kept = referenced by a manifest, younger than the grace, touched during the sweep,
/// or not a chunk/pack key. Manifests are counted apart and never collected.
/// </summary>
public sealed record CollectionReport(
    string Region,
    bool DryRun,
    DateTimeOffset Cutoff,
    int Manifests,
    long KeptObjects,
    long KeptBytes,
    long YoungObjects,
    long YoungBytes,
    IReadOnlyList<RegionObject> Freed)
{
    public long FreedObjects => Freed.Count;
    public long FreedBytes => Freed.Sum(o => o.Length);
}
