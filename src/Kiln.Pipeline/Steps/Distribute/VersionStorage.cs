using Kiln.Streaming.Collection;
using Kiln.Streaming.Store;

namespace Kiln.Pipeline.Steps.Distribute;

/// <summary>
/// Frees the region storage of gallery versions that are gone (deleted, or a distribution that
/// failed): the version's manifest goes, then each region it was in is collected. Chunks and boot
/// packs are shared between versions (content-addressed), so they are never deleted by name: the
/// collection frees only what no remaining manifest uses.
///
/// Collections run with no grace while holding <see cref="ArtifactLayout.Gate"/> alone: every
/// publish and replication of this process into the data folder holds it shared, so none is between
/// storing chunks and writing its manifest. Writers outside the process (e.g. <c>kiln image publish</c>
/// into a region of a running server's data folder) are not covered; leave the grace to them
/// (<c>kiln image gc</c>'s default).
/// </summary>
public sealed class VersionStorage(ArtifactLayout layout, TimeProvider? time = null)
{
    /// <summary>Deletes manifest <paramref name="manifestName"/> in every region that holds it, then collects those regions.</summary>
    public async Task<IReadOnlyList<CollectionReport>> RemoveAsync(string manifestName, CancellationToken ct)
    {
        var key = RegionKeys.Manifest(manifestName);
        var touched = new List<LocalFolderRegionStore>();
        foreach (var region in layout.ExistingRegions())
            if (await region.DeleteAsync(key, ct).ConfigureAwait(false))
                touched.Add(region);
        return await CollectAsync(touched, ct).ConfigureAwait(false);
    }

    /// <summary>Collects the given regions (no grace, under the gate); throws <see cref="CollectionException"/> for a region with an unreadable manifest.</summary>
    public async Task<IReadOnlyList<CollectionReport>> CollectAsync(IEnumerable<IRegionStore> regions, CancellationToken ct)
    {
        var reports = new List<CollectionReport>();
        var options = new CollectionOptions { Grace = TimeSpan.Zero };
        await using (await layout.Gate.EnterCollectorAsync(ct).ConfigureAwait(false))
        {
            foreach (var region in regions)
                reports.Add(await new RegionCollector(region, time).CollectAsync(options, ct).ConfigureAwait(false));
        }
        return reports;
    }
}
