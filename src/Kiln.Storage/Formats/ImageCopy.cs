using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// Copies the allocated data of a device in large chunks, reading chunk N+1 while chunk N is
/// being written, and skipping all-zero 64 KiB pieces so targets stay sparse. Targets must read
/// as zeros wherever nothing is written (new images).
/// </summary>
public static class ImageCopy
{
    public const int DefaultChunkSize = 4 * 1024 * 1024;
    /// <summary>Granularity of zero detection: small enough to keep holes, large enough that runs stay long.</summary>
    public const int ZeroGranularity = 64 * 1024;

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
                pending = WriteNonZeroAsync(pos, chunk, write, ct);
                current ^= 1;
            }
        }
        await pending.ConfigureAwait(false);
        return total;
    }

    /// <summary>Writes the runs of <paramref name="chunk"/> that are not all-zero pieces of <see cref="ZeroGranularity"/> bytes.</summary>
    private static async Task WriteNonZeroAsync(long offset, ReadOnlyMemory<byte> chunk, Func<long, ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken ct)
    {
        int runStart = -1;
        for (int at = 0; at < chunk.Length; at += ZeroGranularity)
        {
            int n = Math.Min(ZeroGranularity, chunk.Length - at);
            bool zero = chunk.Span.Slice(at, n).IndexOfAnyExcept((byte)0) < 0;
            if (!zero && runStart < 0) runStart = at;
            if (zero && runStart >= 0)
            {
                await write(offset + runStart, chunk[runStart..at], ct).ConfigureAwait(false);
                runStart = -1;
            }
        }
        if (runStart >= 0) await write(offset + runStart, chunk[runStart..], ct).ConfigureAwait(false);
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
