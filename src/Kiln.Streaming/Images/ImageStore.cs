using System.Security.Cryptography;
using Kiln.Storage.Blocks;
using Kiln.Storage.Profiles;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Images;

/// <summary>
/// Publishes image versions into one region store: chunks (content-addressed, zero chunks
/// skipped, only the missing ones uploaded), the boot pack when there is a profile, and the
/// manifest last, so a failed publish never leaves a version that looks complete. Orphaned
/// chunks from a failed publish are harmless (a later publish reuses them) and a
/// <see cref="Collection.RegionCollector"/> frees them once they are older than its grace.
/// </summary>
public sealed class ImageStore(IRegionStore store)
{
    public IRegionStore Store => store;

    public Task<PublishResult> PublishAsync(IBlockDevice source, string manifestName, BootProfile? profile, CancellationToken ct = default)
        => PublishAsync(source, manifestName, profile, PublishOptions.Default, ct);

    public async Task<PublishResult> PublishAsync(IBlockDevice source, string manifestName, BootProfile? profile, PublishOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var manifestKey = RegionKeys.Manifest(manifestName);
        CheckOptions(options);
        if (await store.ExistsAsync(manifestKey, ct).ConfigureAwait(false))
            throw new InvalidOperationException($"region '{store.Name}': version '{manifestName}' already exists; versions are immutable, publish under a new name.");
        if (profile is not null && profile.Image.SizeBytes != 0 && profile.Image.SizeBytes != source.Length)
            throw new ArgumentException($"boot profile was recorded on a {profile.Image.SizeBytes}-byte image, but the source has {source.Length} bytes.", nameof(profile));

        if (source.Length > ImageManifest.MaxImageSize)
            throw new ArgumentException($"image of {source.Length} bytes is larger than a version may be ({ImageManifest.MaxImageSize} bytes).", nameof(source));
        int chunkSize = options.ChunkSize;
        long chunkCount = (source.Length + chunkSize - 1) / chunkSize;
        if (chunkCount > int.MaxValue) throw new ArgumentException($"image of {source.Length} bytes has too many {chunkSize}-byte chunks.", nameof(options));

        // Only chunks that hold an allocated byte are read; the rest are zero by the device contract.
        var touched = new bool[chunkCount];
        await foreach (var extent in source.GetAllocatedExtentsAsync(ct).ConfigureAwait(false))
        {
            if (extent.Length <= 0) continue;
            for (long c = extent.Offset / chunkSize; c <= (extent.End - 1) / chunkSize && c < chunkCount; c++)
                touched[c] = true;
        }

        var hashes = new string?[chunkCount];
        var known = new HashSet<string>(StringComparer.Ordinal); // present in the store (checked or uploaded)
        int zero = 0, stored = 0, reused = 0;
        long bytesStored = 0;
        var buffer = new byte[chunkSize];
        for (int i = 0; i < chunkCount; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (!touched[i]) { zero++; continue; }
            long offset = (long)i * chunkSize;
            var data = buffer.AsMemory(0, (int)Math.Min(chunkSize, source.Length - offset));
            await source.ReadAsync(offset, data, ct).ConfigureAwait(false);
            if (ChunkHash.IsAllZero(data.Span)) { zero++; continue; }
            var hash = ChunkHash.Of(data.Span);
            hashes[i] = hash;
            if (known.Contains(hash)) { reused++; continue; }
            var key = RegionKeys.Chunk(hash);
            // Touch, not Exists: a reused object must look young to a concurrent collector (RegionCollector).
            if (await store.TouchAsync(key, ct).ConfigureAwait(false)) reused++;
            else
            {
                await store.PutAsync(key, data, ct).ConfigureAwait(false);
                stored++;
                bytesStored += data.Length;
            }
            known.Add(hash);
        }

        BootPackIndex? pack = null;
        bool packStored = false;
        if (profile is not null)
        {
            var layout = BootPackLayout.WithoutZeroChunks(
                BootPackLayout.Plan(profile.Extents, source.Length, options.PackAlignment), hashes, chunkSize);
            if (layout.Count > 0)
            {
                (pack, packStored) = await WritePackAsync(source, layout, profile, options, ct).ConfigureAwait(false);
                if (packStored) bytesStored += pack.Length;
            }
        }

        var manifest = new ImageManifest
        {
            ImageSize = source.Length,
            ChunkSize = chunkSize,
            Chunks = hashes,
            BootPack = pack,
        };
        manifest.Validate(manifestName);
        var json = manifest.ToJson();
        if (json.Length > ImageManifest.MaxManifestBytes)
            throw new InvalidOperationException($"version '{manifestName}': its manifest would be {json.Length} bytes, over the {ImageManifest.MaxManifestBytes}-byte limit readers accept; publish with a larger chunk size.");
        await store.PutAsync(manifestKey, json, ct).ConfigureAwait(false);
        return new PublishResult(manifest, (int)chunkCount, zero, stored, reused, bytesStored, pack?.Length ?? 0, packStored);
    }

    public Task<ImageManifest> ReadManifestAsync(string manifestName, CancellationToken ct = default)
        => ImageManifest.ReadAsync(store, manifestName, ct);

    public async ValueTask<bool> ExistsAsync(string manifestName, CancellationToken ct = default)
        => await store.ExistsAsync(RegionKeys.Manifest(manifestName), ct).ConfigureAwait(false);

    /// <summary>
    /// Two passes over the boot extents: the first hashes (segments + whole pack, which names
    /// the object), the second uploads, so the pack never needs a temporary copy.
    /// </summary>
    private async Task<(BootPackIndex Pack, bool Stored)> WritePackAsync(
        IBlockDevice source, IReadOnlyList<Extent> layout, BootProfile profile, PublishOptions options, CancellationToken ct)
    {
        var segmentHashes = new List<string>();
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length;
        await using (var stream = new DeviceExtentsStream(source, layout))
        {
            length = stream.Length;
            var segment = new byte[options.PackSegmentSize];
            while (true)
            {
                int n = await FillAsync(stream, segment, ct).ConfigureAwait(false);
                if (n == 0) break;
                segmentHashes.Add(ChunkHash.Of(segment.AsSpan(0, n)));
                whole.AppendData(segment, 0, n);
                if (n < segment.Length) break;
            }
        }
        var id = Convert.ToHexStringLower(whole.GetHashAndReset());
        var extents = new List<long[]>(layout.Count);
        long packOffset = 0;
        foreach (var e in layout)
        {
            extents.Add([packOffset, e.Offset, e.Length]);
            packOffset += e.Length;
        }
        var index = new BootPackIndex
        {
            Id = id,
            Length = length,
            Alignment = options.PackAlignment,
            SegmentSize = options.PackSegmentSize,
            SegmentHashes = segmentHashes,
            Extents = extents,
            ProfileContentId = profile.Image.ContentId,
        };
        var key = RegionKeys.Pack(id);
        if (await store.TouchAsync(key, ct).ConfigureAwait(false)) return (index, false);
        await using (var upload = new DeviceExtentsStream(source, layout))
            await store.PutAsync(key, upload, ct).ConfigureAwait(false);
        return (index, true);
    }

    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(done), ct).ConfigureAwait(false);
            if (n == 0) break;
            done += n;
        }
        return done;
    }

    private static void CheckOptions(PublishOptions o)
    {
        if (o.ChunkSize < 4096 || o.ChunkSize > 64 << 20 || (o.ChunkSize & (o.ChunkSize - 1)) != 0)
            throw new ArgumentException($"chunk size {o.ChunkSize} is not a power of two between 4 KiB and 64 MiB.", nameof(o));
        if (o.PackAlignment < 512 || (o.PackAlignment & (o.PackAlignment - 1)) != 0)
            throw new ArgumentException($"pack alignment {o.PackAlignment} is not a power of two ≥ 512.", nameof(o));
        if (o.PackSegmentSize < o.PackAlignment || o.PackSegmentSize % o.PackAlignment != 0 || o.PackSegmentSize > 256 << 20)
            throw new ArgumentException($"pack segment size {o.PackSegmentSize} is not a multiple of the alignment ({o.PackAlignment}) up to 256 MiB.", nameof(o));
    }
}
