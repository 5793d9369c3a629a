using Kiln.Domain.Templates;
using Kiln.Pipeline.Runner;
using Kiln.Storage.Formats;
using Kiln.Streaming.Collection;
using Kiln.Streaming.Images;
using Kiln.Streaming.Replication;
using Kiln.Streaming.Store;

namespace Kiln.Pipeline.Steps.Distribute.SharedImage;

/// <summary>
/// distribute[] type SharedImage: publishes the staged image (with its boot pack when optimized)
/// into the definition's home region store, replicates it to every target region, and only then
/// creates the version resource. On any failed ending the resource and the published manifests go
/// again, and the regions are collected: chunks and the pack only this run stored are freed, chunks
/// another version shares stay (content-addressed). Publishes hold the layout's gate as writers so a
/// concurrent collection waits for their manifests.
/// </summary>
public sealed class SharedImageDistributeStep(
    SharedImageDistributor distributor, int index, IArtifactRegistry registry, ArtifactLayout layout, string? sourceVersion) : IPipelineStep
{
    private readonly List<LocalFolderRegionStore> _published = [];
    private string? _manifest;
    private string? _createdId;

    public string Name => $"distribute[{index}] SharedImage";
    public BuildPhase Phase => BuildPhase.Distributing;

    public async Task RunAsync(BuildContext context, CancellationToken ct)
    {
        string staged = context.StagedImagePath ?? throw new InvalidOperationException("No staged image to distribute (the source step did not run).");
        string definitionId = distributor.ImageDefinitionId;
        var existing = await registry.ListGalleryVersionsAsync(definitionId, ct).ConfigureAwait(false);
        string version;
        if (distributor.ExplicitVersion is { } explicitVersion)
        {
            if (existing.Contains(explicitVersion, StringComparer.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"Image version '{definitionId}/versions/{explicitVersion}' already exists; an existing version cannot be rebuilt or " +
                    "optimized afterwards. Distribute to a new version (give a new version number or an image definition id for auto-versioning).");
            version = explicitVersion;
        }
        else
        {
            version = VersionNumbers.Next(existing, distributor.Versioning, sourceVersion);
        }
        string versionId = $"{definitionId}/versions/{version}";
        string home = await registry.GetDefinitionLocationAsync(definitionId, ct).ConfigureAwait(false);
        _manifest = ArtifactLayout.ManifestName(versionId);
        context.Log.Write($"{Name}: version {version} of {definitionId} (manifest {_manifest})");

        var homeStore = layout.Region(home);
        PublishResult published;
        await using (var image = await DiskImage.OpenAsync(staged, writable: false, ct).ConfigureAwait(false))
        await using (await layout.Gate.EnterWriterAsync(ct).ConfigureAwait(false)) // no collection while chunks wait for their manifest
        {
            _published.Add(homeStore);
            published = await new ImageStore(homeStore).PublishAsync(image.Device, _manifest, context.BootProfile, ct).ConfigureAwait(false);
        }
        context.Log.Write($"{Name}: published to {home}: {published.ChunksTotal} chunks ({published.ZeroChunks} zero, " +
                          $"{published.ChunksStored} new), {published.BytesStored} bytes stored, boot pack {published.PackBytes} bytes");

        var regions = TargetRegions(home);
        foreach (var region in regions.Where(r => !SameRegion(r.Name, home)))
        {
            var store = layout.Region(region.Name);
            _published.Add(store);
            ReplicationResult result;
            await using (await layout.Gate.EnterWriterAsync(ct).ConfigureAwait(false))
                result = await Replicator.ReplicateAsync(_manifest, homeStore, store, ct).ConfigureAwait(false);
            context.Log.Write($"{Name}: replicated to {region.Name}: {result.ChunksCopied} chunks copied, {result.ChunksSkipped} present, " +
                              $"{result.BytesCopied + result.PackBytesCopied} bytes");
        }

        double? optimizeSeconds = context.BootProfile is null ? null : context.PhaseSeconds.GetValueOrDefault(BuildPhase.Optimizing);
        _createdId = await registry.CreateGalleryVersionAsync(new GalleryVersionSpec(
            definitionId, version, home, regions, distributor.ExcludeFromLatest,
            distributor.StorageAccountType ?? regions[0].StorageAccountType, published.Manifest.ImageSize, _manifest,
            context.BootProfile is not null, published.PackBytes, optimizeSeconds, distributor.ArtifactTags), ct).ConfigureAwait(false);
        context.Artifacts.Add(new BuildArtifact(distributor.RunOutputName, _createdId, null));
        context.Log.Write($"{Name}: created {_createdId}");
    }

    /// <summary>targetRegions, else replicationRegions, else the home region; the home region is always first.</summary>
    private List<TargetRegion> TargetRegions(string home)
    {
        string storage = distributor.StorageAccountType ?? "Standard_LRS";
        var regions = distributor.TargetRegions.Count > 0
            ? distributor.TargetRegions.ToList()
            : distributor.ReplicationRegions.Select(r => new TargetRegion(r, 1, storage)).ToList();
        var homeEntry = regions.FirstOrDefault(r => SameRegion(r.Name, home)) ?? new TargetRegion(home, 1, storage);
        regions.RemoveAll(r => SameRegion(r.Name, home));
        regions.Insert(0, homeEntry);
        return regions;
    }

    private static bool SameRegion(string a, string b) =>
        string.Equals(a.Replace(" ", "", StringComparison.Ordinal), b.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    public async Task CleanupAsync(BuildContext context, BuildOutcome outcome)
    {
        if (outcome == BuildOutcome.Succeeded)
            return;
        if (_createdId is not null)
        {
            await registry.DeleteResourceAsync(_createdId, CancellationToken.None).ConfigureAwait(false);
            context.Log.Write($"{Name}: removed {_createdId} (the build did not succeed)");
        }
        foreach (var store in _published)
            await store.DeleteAsync(RegionKeys.Manifest(_manifest!), CancellationToken.None).ConfigureAwait(false);
        if (_published.Count == 0) return;
        // What this run stored and no other version uses goes too; shared chunks stay (the collector marks every manifest).
        try
        {
            foreach (var report in await new VersionStorage(layout).CollectAsync(_published, CancellationToken.None).ConfigureAwait(false))
                context.Log.Write($"{Name}: {report.Region}: freed {report.FreedObjects} objects ({report.FreedBytes} bytes) the failed distribution left");
        }
        catch (CollectionException e)
        {
            context.Log.Write($"{Name}: could not free what the failed distribution stored: {e.Message}");
        }
    }
}
