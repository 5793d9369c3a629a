using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Collection;

/// <summary>
/// Mark and sweep over one region: every manifest's chunks and boot pack are in use; chunks and packs
/// no manifest names are deleted. Manifests themselves are never collected (deleting a version means
/// deleting its manifest; the next collection frees what only it used).
///
/// Why a concurrent publish is safe (the grace rule):
/// <code>
///   writer:    store/touch chunks ──────────────► write manifest        (within the grace, e.g. 10 min)
///   collector:   cutoff = now − grace ─► list manifests ─► sweep: delete only if last-modified ≤ cutoff
/// </code>
/// A writer stores each new chunk and touches (<see cref="IRegionStore.TouchAsync"/>) each chunk it
/// reuses, so every object a not-yet-written manifest will name was modified after the writer started.
/// If that manifest was not there when the collector listed, the writer finished after the collection
/// started, so it started less than the grace before that: its objects are newer than the cutoff. The
/// delete itself is conditional (<see cref="IRegionStore.DeleteIfUnmodifiedSinceAsync"/>), so a touch
/// that lands between the listing and the delete wins. The rule fails only for a writer that takes
/// longer than the grace, or clocks that disagree by more than it; pick the grace with room.
///
/// A manifest that cannot be read stops the collection before anything is deleted: skipping it would
/// free every chunk only it names, i.e. destroy that version.
/// </summary>
public sealed class RegionCollector(IRegionStore store, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IRegionStore Store => store;

    public async Task<CollectionReport> CollectAsync(CollectionOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Grace, TimeSpan.Zero, nameof(options.Grace));
        var cutoff = _time.GetUtcNow() - options.Grace; // before the mark: see the class comment
        var (manifests, inUse) = await MarkAsync(ct).ConfigureAwait(false);

        long kept = 0, keptBytes = 0, young = 0, youngBytes = 0;
        var freed = new List<RegionObject>();
        foreach (var prefix in new[] { RegionKeys.ChunkPrefix, RegionKeys.PackPrefix })
        {
            await foreach (var item in store.ListObjectsAsync(prefix, ct).ConfigureAwait(false))
            {
                if (!IsCollectable(item.Key) || inUse.Contains(item.Key))
                {
                    kept++;
                    keptBytes += item.Length;
                }
                else if (item.LastModified > cutoff)
                {
                    young++;
                    youngBytes += item.Length;
                }
                else if (options.DryRun || await store.DeleteIfUnmodifiedSinceAsync(item.Key, cutoff, ct).ConfigureAwait(false))
                {
                    freed.Add(item);
                }
                else
                {
                    young++; // touched by a writer since the listing (or already gone): it stays
                    youngBytes += item.Length;
                }
            }
        }
        return new CollectionReport(store.Name, options.DryRun, cutoff, manifests, kept + young, keptBytes + youngBytes, young, youngBytes, freed);
    }

    /// <summary>Every chunk and pack key some manifest names; throws <see cref="CollectionException"/> rather than guess.</summary>
    private async Task<(int Manifests, HashSet<string> InUse)> MarkAsync(CancellationToken ct)
    {
        var inUse = new HashSet<string>(StringComparer.Ordinal);
        int manifests = 0;
        await foreach (var key in store.ListAsync(RegionKeys.ManifestPrefix, ct).ConfigureAwait(false))
        {
            if (!key.EndsWith(".json", StringComparison.Ordinal))
                throw new CollectionException(store.Name, key,
                    $"region '{store.Name}': '{key}' is among the manifests but is not a <name>.json manifest; nothing was deleted. " +
                    "Move it out of manifests/ (or delete it), then collect again.");
            string name = key[RegionKeys.ManifestPrefix.Length..^".json".Length];
            ImageManifest manifest;
            try
            {
                manifest = await ImageManifest.ReadAsync(store, name, ct).ConfigureAwait(false);
            }
            catch (RegionObjectNotFoundException)
            {
                continue; // deleted since the listing: what only it named may go
            }
            catch (Exception e) when (e is ManifestException or IOException)
            {
                throw new CollectionException(store.Name, key,
                    $"region '{store.Name}': manifest '{key}' cannot be read ({e.Message}); nothing was deleted, because the chunks it names " +
                    "cannot be told apart from garbage. Restore the manifest (e.g. replicate the version again) or delete it if the version is gone, then collect again.", e);
            }
            manifests++;
            foreach (var hash in manifest.Chunks)
                if (hash is not null) inUse.Add(RegionKeys.Chunk(hash));
            if (manifest.BootPack is { } pack) inUse.Add(RegionKeys.Pack(pack.Id));
        }
        return (manifests, inUse);
    }

    /// <summary>Only keys in Kiln's own layout are collected; anything else someone put there is left alone.</summary>
    private static bool IsCollectable(string key)
    {
        if (key.StartsWith(RegionKeys.ChunkPrefix, StringComparison.Ordinal))
        {
            var parts = key.Split('/');
            return parts.Length == 3 && RegionKeys.IsSha256Hex(parts[2]) && parts[1] == parts[2][..2];
        }
        if (key.StartsWith(RegionKeys.PackPrefix, StringComparison.Ordinal) && key.EndsWith(".pack", StringComparison.Ordinal))
            return RegionKeys.IsSha256Hex(key[RegionKeys.PackPrefix.Length..^".pack".Length]);
        return false;
    }
}
