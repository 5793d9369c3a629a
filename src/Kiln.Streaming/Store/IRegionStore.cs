namespace Kiln.Streaming.Store;

/// <summary>
/// One region's object store: flat keys ("chunks/ab/abcd…", "manifests/x.json", "packs/id.pack")
/// mapping to immutable byte objects. The shape is deliberately the common ground of a local
/// folder and Azure Blob Storage (exists / properties / ranged download / upload / list by
/// prefix / delete), so a blob-backed region can be added without touching the callers.
/// </summary>
public interface IRegionStore
{
    /// <summary>Region name, used in error messages and statistics.</summary>
    string Name { get; }

    ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>Object size in bytes, or null when the object does not exist.</summary>
    ValueTask<long?> GetLengthAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Range read: fills <paramref name="buffer"/> from <paramref name="offset"/> of the object and
    /// returns the number of bytes read, which is less than the buffer only at the end of the object.
    /// Throws <see cref="RegionObjectNotFoundException"/> when the object does not exist.
    /// </summary>
    ValueTask<int> ReadAsync(string key, long offset, Memory<byte> buffer, CancellationToken ct = default);

    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, atomically:
    /// readers see either the old object or the whole new one, never a partial one; when the
    /// content stream throws, nothing is left behind.
    /// </summary>
    ValueTask PutAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>Keys starting with <paramref name="prefix"/> (any order).</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken ct = default);

    /// <summary>Deletes an object; returns false when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Objects whose key starts with <paramref name="prefix"/>, with size and last-modified time (the
    /// store's clock), in any order: what a garbage collector needs to judge an object's age.
    /// </summary>
    IAsyncEnumerable<RegionObject> ListObjectsAsync(string prefix, CancellationToken ct = default);

    /// <summary>
    /// Marks an existing object as used now (its last-modified time becomes the store's now) without
    /// changing its bytes; false when it does not exist. Writers that reuse an object call this instead
    /// of <see cref="ExistsAsync"/>, so a concurrent collector sees the object as young
    /// (see <see cref="Collection.RegionCollector"/>).
    /// </summary>
    ValueTask<bool> TouchAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Deletes the object only when its last-modified time is not after <paramref name="cutoff"/>,
    /// decided atomically with respect to <see cref="TouchAsync"/> and <see cref="PutAsync"/>: a touch
    /// that succeeded is never undone by this delete. Returns true when it deleted the object, false
    /// when the object is absent or younger than the cutoff.
    /// </summary>
    ValueTask<bool> DeleteIfUnmodifiedSinceAsync(string key, DateTimeOffset cutoff, CancellationToken ct = default);
}
