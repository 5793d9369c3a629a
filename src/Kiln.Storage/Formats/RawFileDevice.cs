using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>A raw disk image file: byte N of the device is byte N of the file. Holes are reported as unallocated.</summary>
public sealed class RawFileDevice : FileWindowDevice
{
    private RawFileDevice(ImageFile file, long length) : base(file, length) { }

    public static RawFileDevice Open(string path, bool writable = false)
    {
        var file = ImageFile.Open(path, writable);
        return new RawFileDevice(file, file.Length);
    }

    /// <summary>Creates a sparse raw file of <paramref name="length"/> bytes.</summary>
    public static RawFileDevice Create(string path, long length, bool overwrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var file = ImageFile.Create(path, overwrite);
        file.SetLength(length);
        return new RawFileDevice(file, length);
    }
}
