namespace Kiln.Storage.Blocks;

/// <summary>
/// Base for filters: passes every call to <see cref="Next"/>. A filter overrides only what it
/// changes (nbdkit's filter model). Disposing a filter disposes the device under it unless
/// it was built with <c>ownsNext: false</c>.
/// </summary>
public abstract class BlockFilter(IBlockDevice next, bool ownsNext = true) : IBlockDevice
{
    protected IBlockDevice Next { get; } = next;

    public virtual long Length => Next.Length;
    public virtual bool CanWrite => Next.CanWrite;
    public virtual int BlockSize => Next.BlockSize;

    public virtual ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
        => Next.ReadAsync(offset, buffer, ct);

    public virtual ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        => Next.WriteAsync(offset, data, ct);

    public virtual ValueTask FlushAsync(CancellationToken ct = default) => Next.FlushAsync(ct);

    public virtual ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
        => Next.TrimAsync(offset, length, ct);

    public virtual IAsyncEnumerable<Extent> GetAllocatedExtentsAsync(CancellationToken ct = default)
        => Next.GetAllocatedExtentsAsync(ct);

    public virtual async ValueTask DisposeAsync()
    {
        if (ownsNext)
            await Next.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
