namespace Kiln.Streaming.Store;

public static class RegionStoreExtensions
{
    /// <summary>Reads a whole object (for manifests and chunks; packs are read in ranges).</summary>
    public static async ValueTask<byte[]> GetAsync(this IRegionStore store, string key, CancellationToken ct = default)
    {
        long length = await store.GetLengthAsync(key, ct).ConfigureAwait(false)
                      ?? throw new RegionObjectNotFoundException(store.Name, key);
        if (length > Array.MaxLength)
            throw new InvalidOperationException($"region '{store.Name}': object '{key}' ({length} bytes) is too large to read whole; use ranged reads.");
        var buffer = new byte[length];
        int n = await store.ReadExactlyAsync(key, 0, buffer, ct).ConfigureAwait(false);
        return n == buffer.Length ? buffer : buffer[..n];
    }

    /// <summary>Fills as much of <paramref name="buffer"/> as the object allows (loops over short reads).</summary>
    public static async ValueTask<int> ReadExactlyAsync(this IRegionStore store, string key, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await store.ReadAsync(key, offset + done, buffer[done..], ct).ConfigureAwait(false);
            if (n == 0) break;
            done += n;
        }
        return done;
    }

    public static async ValueTask PutAsync(this IRegionStore store, string key, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        // Avoid copying chunk-sized buffers when the memory is backed by an array.
        using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        await store.PutAsync(key, stream, ct).ConfigureAwait(false);
    }
}
