using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>Converts any image Kiln reads into raw, fixed VHD or dynamic VHD, copying only allocated data.</summary>
public static class ImageConverter
{
    /// <summary>Target formats <c>ConvertAsync</c> writes.</summary>
    public static readonly IReadOnlyList<string> WritableFormats = [DiskImage.Raw, DiskImage.VhdFixed, DiskImage.VhdDynamic];

    /// <summary>Opens <paramref name="sourcePath"/> (any probed format) and writes it to <paramref name="targetPath"/> as <paramref name="format"/>.</summary>
    /// <returns>The virtual size of the target (VHDs are rounded up to a whole MiB).</returns>
    /// <param name="durable">Flush the target to disk before returning (off: the page cache writes it back later, as qemu-img convert does by default).</param>
    public static async Task<long> ConvertAsync(string sourcePath, string targetPath, string format, bool overwrite = false,
        IProgress<long>? progress = null, bool durable = true, CancellationToken ct = default)
    {
        if (Path.GetFullPath(sourcePath) == Path.GetFullPath(targetPath))
            throw new ArgumentException($"convert: source and target are the same file ('{sourcePath}').");
        await using var source = await DiskImage.OpenAsync(sourcePath, writable: false, ct).ConfigureAwait(false);
        return await ConvertAsync(source.Device, targetPath, format, overwrite, progress, durable, ct).ConfigureAwait(false);
    }

    public static async Task<long> ConvertAsync(IBlockDevice source, string targetPath, string format, bool overwrite = false,
        IProgress<long>? progress = null, bool durable = true, CancellationToken ct = default)
    {
        switch (format)
        {
            case DiskImage.VhdFixed:
                return (await VhdWriter.CreateFixedAsync(source, targetPath, overwrite, progress, durable: durable, ct: ct).ConfigureAwait(false)).CurrentSize;
            case DiskImage.VhdDynamic:
                return (await VhdWriter.CreateDynamicAsync(source, targetPath, overwrite, progress, durable: durable, ct: ct).ConfigureAwait(false)).CurrentSize;
            case DiskImage.Raw:
                await using (var target = RawFileDevice.Create(targetPath, source.Length, overwrite))
                {
                    await ImageCopy.CopyAllocatedAsync(source, target, progress: progress, ct: ct).ConfigureAwait(false);
                    if (durable) await target.FlushAsync(ct).ConfigureAwait(false);
                }
                return source.Length;
            default:
                throw new ArgumentException($"convert: unknown target format '{format}' (use {string.Join(", ", WritableFormats)}).", nameof(format));
        }
    }
}
