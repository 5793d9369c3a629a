namespace Kiln.Storage.Formats;

/// <summary>Opens a disk image file by probing its format (never by trusting its extension).</summary>
public static class DiskImage
{
    public const string Raw = "raw", VhdFixed = "vhd-fixed", VhdDynamic = "vhd-dynamic", Qcow2 = "qcow2";

    /// <summary>
    /// Probes, in order: qcow2 magic "QFI\xfb" at offset 0; a VHD footer ("conectix" in the last 512
    /// or 511 bytes, or a dynamic disk's footer copy at offset 0); otherwise raw. A file that carries
    /// a format's signature but is damaged raises <see cref="Blocks.CorruptImageException"/> rather
    /// than being taken for raw. qcow2 is always opened read-only.
    /// </summary>
    public static async Task<OpenedImage> OpenAsync(string path, bool writable = false, CancellationToken ct = default)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Disk image '{path}' does not exist.", path);
        var file = ImageFile.Open(path, writable);
        OpenedImage? image = null;
        try
        {
            var magic = new byte[4];
            int n = await file.ReadUpToAsync(0, magic, ct).ConfigureAwait(false);
            if (n == 4 && Formats.Qcow2Header.HasMagic(magic))
            {
                if (writable)
                    throw new Blocks.BlockDeviceException($"{path}: qcow2 images are read-only in Kiln; convert to raw or VHD to write.");
                image = new OpenedImage(await Qcow2Device.OpenAsync(file, ct).ConfigureAwait(false), Qcow2, path);
                return image;
            }
            image = await VhdReader.TryOpenAsync(file, ct).ConfigureAwait(false);
            if (image is not null) return image;
        }
        finally
        {
            if (image is null) file.Dispose();
        }
        return new OpenedImage(RawFileDevice.Open(path, writable), Raw, path);
    }
}
