namespace Kiln.Storage.Formats;

/// <summary>Opens a disk image file by probing its format (never by trusting its extension).</summary>
public static class DiskImage
{
    public static Task<OpenedImage> OpenAsync(string path, bool writable = false, CancellationToken ct = default)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Disk image '{path}' does not exist.", path);
        // TODO(formats): probe for VHD footer and qcow2 magic; until then every file is raw.
        return Task.FromResult(new OpenedImage(RawFileDevice.Open(path, writable), "raw", path));
    }
}
