namespace Kiln.Storage.Tests.Fixtures;

/// <summary>Byte surgery on image files (for corruption tests) and composing disks from volume images.</summary>
public static class ImageBytes
{
    public static void Patch(string path, long offset, params byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Position = offset;
        f.Write(bytes);
    }

    public static byte[] Read(string path, long offset, int count)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read);
        f.Position = offset;
        var b = new byte[count];
        f.ReadExactly(b);
        return b;
    }

    /// <summary>Copies a volume image into a disk image at a byte offset (what dd conv=notrunc seek=… does).</summary>
    public static void CopyInto(string volume, string disk, long offset)
    {
        using var src = File.OpenRead(volume);
        using var dst = new FileStream(disk, FileMode.Open, FileAccess.Write);
        dst.Position = offset;
        src.CopyTo(dst);
    }

    public static void CreateSparse(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write);
        f.SetLength(length);
    }
}
