using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// Copies the allocated data of a device in large chunks, reading chunk N+1 while chunk N is
/// being written, and skipping all-zero chunks so targets stay sparse.
/// </summary>
public static class ImageCopy
{
    public const int DefaultChunkSize = 4 * 1024 * 1024;

    /// <summary>
    /// Reads every allocated extent of <paramref name="source"/> and hands each non-zero chunk to
    /// <paramref name="write"/> (at its device offset). Returns the number of bytes read.
    /// </summary>
    public static async Task<long> CopyAllocatedAsync(IBlockDevice source, Func<long, ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        int chunkSize = DefaultChunkSize, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 512);
        var buffers = new[] { new byte[chunkSize], new byte[chunkSize] };
        int current = 0;
        long total = 0;
        Task pending = Task.CompletedTask;
        await foreach (var extent in source.GetAllocatedExtentsAsync(ct).ConfigureAwait(false))
        {
            for (long pos = extent.Offset; pos < extent.End; pos += chunkSize)
            {
                int n = (int)Math.Min(chunkSize, extent.End - pos);
                var chunk = buffers[current].AsMemory(0, n);
                await source.ReadAsync(pos, chunk, ct).ConfigureAwait(false);
                await pending.ConfigureAwait(false); // the other buffer is free again
                total += n;
                progress?.Report(total);
                pending = chunk.Span.IndexOfAnyExcept((byte)0) < 0 ? Task.CompletedTask : write(pos, chunk, ct).AsTask();
                current ^= 1;
            }
        }
        await pending.ConfigureAwait(false);
        return total;
    }

    /// <summary>Copies the allocated data of <paramref name="source"/> to the same offsets of <paramref name="target"/>.</summary>
    public static Task<long> CopyAllocatedAsync(IBlockDevice source, IBlockDevice target, int chunkSize = DefaultChunkSize,
        IProgress<long>? progress = null, CancellationToken ct = default)
    {
        if (target.Length < source.Length)
            throw new BlockDeviceException($"copy: target ({target.Length} bytes) is smaller than the source ({source.Length} bytes).");
        return CopyAllocatedAsync(source, target.WriteAsync, chunkSize, progress, ct);
    }
}
