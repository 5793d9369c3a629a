using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems.Ext4;
using Kiln.Storage.FileSystems.Fat;
using Kiln.Storage.FileSystems.Ntfs;

namespace Kiln.Storage.FileSystems;

/// <summary>Recognizes the file system on a volume by its magic numbers (never by partition type).</summary>
public static class FileSystemProbe
{
    /// <summary>
    /// Opens the volume's file system: ext2/3/4, NTFS or FAT12/16/32; null when none is recognized.
    /// A recognized but broken file system throws <see cref="CorruptImageException"/>.
    /// </summary>
    public static async Task<IFileSystem?> OpenAsync(IBlockDevice volume, CancellationToken ct = default)
    {
        if (await Ext4FileSystem.ProbeAsync(volume, ct).ConfigureAwait(false))
            return await Ext4FileSystem.OpenAsync(volume, ct).ConfigureAwait(false);
        if (await NtfsFileSystem.ProbeAsync(volume, ct).ConfigureAwait(false))
            return await NtfsFileSystem.OpenAsync(volume, ct).ConfigureAwait(false);
        if (await FatFileSystem.ProbeAsync(volume, ct).ConfigureAwait(false))
            return await FatFileSystem.OpenAsync(volume, ct).ConfigureAwait(false);
        return null;
    }
}
