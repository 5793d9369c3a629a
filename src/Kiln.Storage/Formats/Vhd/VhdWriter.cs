using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>Creates VHD files: fixed from any device (what Azure accepts), and dynamic (empty or from a device).</summary>
public static class VhdWriter
{
    public const long MiB = 1024 * 1024;

    /// <summary>Azure requires the virtual size of an uploaded VHD to be a whole number of MiB.</summary>
    public static long RoundUpToMiB(long size) => (size + MiB - 1) / MiB * MiB;

    /// <summary>
    /// Writes a fixed VHD holding <paramref name="source"/>, its size rounded up to a whole MiB.
    /// Only allocated, non-zero data is written, so the file stays sparse; the footer goes at the end.
    /// </summary>
    /// <param name="durable">Flush to disk before returning (off: leave it to the page cache, like qemu-img convert's default).</param>
    /// <returns>The footer written (its CurrentSize is the VHD's virtual size).</returns>
    public static async Task<VhdFooter> CreateFixedAsync(IBlockDevice source, string path, bool overwrite = false,
        IProgress<long>? progress = null, TimeProvider? time = null, bool durable = true, CancellationToken ct = default)
    {
        long size = CheckedSize(source.Length, path);
        var footer = VhdFooter.Create(size, VhdDiskType.Fixed, time);
        using var file = ImageFile.Create(path, overwrite);
        file.SetLength(size + VhdFooter.Size);
        await ImageCopy.CopyAllocatedAsync(source, file.WriteAsync, progress: progress, ct: ct).ConfigureAwait(false);
        await file.WriteAsync(size, footer.ToBytes(), ct).ConfigureAwait(false);
        if (durable) file.Flush();
        return footer;
    }

    /// <summary>
    /// Writes an empty dynamic VHD of <paramref name="size"/> bytes (rounded up to a whole sector):
    /// footer copy, dynamic header, an all-unallocated BAT, trailing footer.
    /// <code>
    ///   0 footer copy | 512 dynamic header | 1536 BAT (4 bytes per block, sector padded) | footer
    /// </code>
    /// </summary>
    public static async Task<VhdFooter> CreateDynamicAsync(string path, long size, uint blockSize = VhdDynamicHeader.DefaultBlockSize,
        bool overwrite = false, TimeProvider? time = null, CancellationToken ct = default)
    {
        size = (size + 511) / 512 * 512;
        CheckedSize(size, path);
        if (blockSize < 512 || blockSize > 256u * 1024 * 1024 || !uint.IsPow2(blockSize))
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "VHD block size must be a power of two between 512 bytes and 256 MiB (2 MiB is the standard).");
        long blocks = (size + blockSize - 1) / blockSize;
        var footer = VhdFooter.Create(size, VhdDiskType.Dynamic, time);
        const long tableOffset = VhdFooter.Size + VhdDynamicHeader.Size;
        var header = new VhdDynamicHeader { TableOffset = tableOffset, MaxTableEntries = (uint)blocks, BlockSize = blockSize };
        var bat = VhdBlockAllocationTable.EmptyOnDisk(blocks);
        var footerBytes = footer.ToBytes();

        using var file = ImageFile.Create(path, overwrite);
        await file.WriteAsync(0, footerBytes, ct).ConfigureAwait(false);
        await file.WriteAsync(VhdFooter.Size, header.ToBytes(), ct).ConfigureAwait(false);
        await file.WriteAsync(tableOffset, bat, ct).ConfigureAwait(false);
        await file.WriteAsync(tableOffset + bat.Length, footerBytes, ct).ConfigureAwait(false);
        file.Flush();
        return footer;
    }

    /// <summary>Writes a dynamic VHD holding <paramref name="source"/> (size rounded up to a whole MiB); only non-zero data allocates blocks.</summary>
    public static async Task<VhdFooter> CreateDynamicAsync(IBlockDevice source, string path, bool overwrite = false,
        IProgress<long>? progress = null, TimeProvider? time = null, bool durable = true, CancellationToken ct = default)
    {
        long size = CheckedSize(source.Length, path);
        var footer = await CreateDynamicAsync(path, size, VhdDynamicHeader.DefaultBlockSize, overwrite, time, ct).ConfigureAwait(false);
        await using var image = await VhdReader.OpenAsync(path, writable: true, ct).ConfigureAwait(false);
        await ImageCopy.CopyAllocatedAsync(source, image.Device, progress: progress, ct: ct).ConfigureAwait(false);
        if (durable) await image.Device.FlushAsync(ct).ConfigureAwait(false);
        return footer;
    }

    private static long CheckedSize(long sourceLength, string path)
    {
        long size = RoundUpToMiB(sourceLength);
        if (size > VhdFooter.MaxDiskSize)
            throw new BlockDeviceException($"{path}: a VHD holds at most 2040 GiB; the source is {sourceLength} bytes (use qcow2 or raw for larger disks).");
        return size;
    }
}
