using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems.Ext4;
using Kiln.Storage.FileSystems.Fat;
using Kiln.Storage.FileSystems.Ntfs;

namespace Kiln.Storage.FileSystems;

/// <summary>Recognizes the file system on a volume by its magic numbers (never by partition type).</summary>
public static class FileSystemProbe
{
    private static ReadOnlySpan<byte> LuksMagic => [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xBA, 0xBE];

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

    /// <summary>
    /// Names a volume format that Kiln recognizes but does not read (xfs, btrfs, LVM2 physical volume,
    /// swap, LUKS), so a report can say why a partition was skipped; null when unknown.
    /// </summary>
    public static async Task<string?> IdentifyUnsupportedAsync(IBlockDevice volume, CancellationToken ct = default)
    {
        if (volume.Length < 4096) return null;
        var head = await volume.ReadBytesAsync(0, 4096, ct).ConfigureAwait(false);
        if (head.AsSpan(0, 4).SequenceEqual("XFSB"u8)) return "xfs";
        if (head.AsSpan(0, 6).SequenceEqual(LuksMagic)) return "luks";
        if (head.AsSpan(512, 8).SequenceEqual("LABELONE"u8) && head.AsSpan(536, 8).SequenceEqual("LVM2 001"u8)) return "lvm2";
        if (head.AsSpan(4086, 10).SequenceEqual("SWAPSPACE2"u8)) return "swap";
        if (volume.Length >= 0x10040 + 8)
        {
            var btrfs = await volume.ReadBytesAsync(0x10040, 8, ct).ConfigureAwait(false);
            if (btrfs.AsSpan().SequenceEqual("_BHRfS_M"u8)) return "btrfs";
        }
        return null;
    }
}
