namespace Kiln.Storage.Blocks;

public static class BlockDeviceExtensions
{
    /// <summary>Checks a request against the device bounds; throws with the device name, offset and length.</summary>
    public static void CheckRange(this IBlockDevice device, long offset, long length, string name)
    {
        if (offset < 0 || length < 0 || offset > device.Length || length > device.Length - offset)
            throw new BlockDeviceException(
                $"{name}: request [{offset}, +{length}) is outside the device (size {device.Length} bytes).");
    }

    /// <summary>Reads a range into a new array (for small structures: headers, tables).</summary>
    public static async ValueTask<byte[]> ReadBytesAsync(this IBlockDevice device, long offset, int length, CancellationToken ct = default)
    {
        var buffer = new byte[length];
        await device.ReadAsync(offset, buffer, ct).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>Copies every allocated extent of <paramref name="source"/> to <paramref name="target"/> at the same offsets.</summary>
    public static async Task CopyAllocatedToAsync(this IBlockDevice source, IBlockDevice target, int bufferSize = 1 << 20, CancellationToken ct = default)
    {
        var buffer = new byte[bufferSize];
        await foreach (var extent in source.GetAllocatedExtentsAsync(ct).ConfigureAwait(false))
        {
            for (long pos = extent.Offset; pos < extent.End; pos += bufferSize)
            {
                int n = (int)Math.Min(bufferSize, extent.End - pos);
                var slice = buffer.AsMemory(0, n);
                await source.ReadAsync(pos, slice, ct).ConfigureAwait(false);
                await target.WriteAsync(pos, slice, ct).ConfigureAwait(false);
            }
        }
    }
}
