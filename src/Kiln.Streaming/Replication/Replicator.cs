using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Replication;

/// <summary>
/// Copies a version from one region to another: only the chunks (and the pack) the target
/// lacks, each verified against its sha256 on arrival (one refetch, then
/// <see cref="ChunkVerificationException"/>), the manifest last so the target shows the version
/// only once everything it names is there. Re-running after a failure resumes where it stopped.
/// </summary>
public static class Replicator
{
    public const int DefaultParallelism = 4;

    public static Task<ReplicationResult> ReplicateAsync(string manifestName, IRegionStore from, IRegionStore to, CancellationToken ct = default)
        => ReplicateAsync(manifestName, from, to, DefaultParallelism, ct);

    public static async Task<ReplicationResult> ReplicateAsync(string manifestName, IRegionStore from, IRegionStore to, int maxParallelism, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        var manifestKey = RegionKeys.Manifest(manifestName);
        var manifestBytes = await ImageManifest.ReadBytesAsync(from, manifestName, ct).ConfigureAwait(false);
        var manifest = ImageManifest.Parse(manifestBytes, manifestName);

        // One copy per distinct hash; remember an index for error messages.
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < manifest.Chunks.Count; i++)
            if (manifest.Chunks[i] is { } h) firstIndex.TryAdd(h, i);

        int copied = 0, skipped = 0;
        long bytes = 0;
        await Parallel.ForEachAsync(firstIndex, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = ct },
            async (entry, token) =>
            {
                var key = RegionKeys.Chunk(entry.Key);
                // Touch, not Exists: a chunk this version reuses must look young to a concurrent collector.
                if (await to.TouchAsync(key, token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref skipped);
                    return;
                }
                var data = await FetchVerifiedAsync(from, key, entry.Key, entry.Value, token).ConfigureAwait(false);
                await to.PutAsync(key, data, token).ConfigureAwait(false);
                Interlocked.Increment(ref copied);
                Interlocked.Add(ref bytes, data.Length);
            }).ConfigureAwait(false);

        bool packCopied = false;
        long packBytes = 0;
        if (manifest.BootPack is { } pack)
        {
            var packKey = RegionKeys.Pack(pack.Id);
            if (!await to.TouchAsync(packKey, ct).ConfigureAwait(false))
            {
                await using (var stream = new VerifyingPackStream(from, pack))
                    await to.PutAsync(packKey, stream, ct).ConfigureAwait(false);
                packCopied = true;
                packBytes = pack.Length;
            }
        }

        await to.PutAsync(manifestKey, manifestBytes, ct).ConfigureAwait(false);
        return new ReplicationResult(firstIndex.Count, copied, skipped, bytes, packCopied, packBytes);
    }

    private static async Task<byte[]> FetchVerifiedAsync(IRegionStore from, string key, string hash, int index, CancellationToken ct)
    {
        string actual = "";
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var data = await from.GetAsync(key, ct).ConfigureAwait(false);
            actual = ChunkHash.Of(data);
            if (actual == hash) return data;
        }
        throw new ChunkVerificationException("chunk", index, hash, actual, from.Name, key);
    }
}
