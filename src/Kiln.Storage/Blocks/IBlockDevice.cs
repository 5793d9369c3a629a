namespace Kiln.Storage.Blocks;

/// <summary>
/// A byte-addressable virtual disk. Every format, filter and store in Kiln is one of these,
/// so they stack (nbdkit-style): a filter overrides only what it changes and passes the rest on.
/// Offsets and lengths are in bytes; devices need not be sector aligned, but callers from
/// NBD/QEMU always are.
/// </summary>
public interface IBlockDevice : IAsyncDisposable
{
    /// <summary>Virtual size in bytes (what the guest sees).</summary>
    long Length { get; }

    /// <summary>False for read-only devices; <see cref="WriteAsync"/> then throws <see cref="BlockDeviceReadOnlyException"/>.</summary>
    bool CanWrite { get; }

    /// <summary>Preferred I/O granularity (sector size for formats, chunk size for stores).</summary>
    int BlockSize { get; }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes at <paramref name="offset"/>. Reads past the end throw.</summary>
    ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>.</summary>
    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default);

    /// <summary>Makes earlier writes durable.</summary>
    ValueTask FlushAsync(CancellationToken ct = default);

    /// <summary>
    /// Hints that a range is no longer needed (NBD TRIM). Devices that cannot deallocate may
    /// do nothing; after a trim, reads of the range return either old data or zeros.
    /// </summary>
    ValueTask TrimAsync(long offset, long length, CancellationToken ct = default);

    /// <summary>
    /// Allocated (possibly non-zero) ranges in ascending order, merged. Unallocated ranges read as zeros.
    /// A device that cannot tell reports one extent covering the whole device.
    /// </summary>
    IAsyncEnumerable<Extent> GetAllocatedExtentsAsync(CancellationToken ct = default);
}
