namespace Kiln.Machines;

/// <summary>
/// Where the VM's disk comes from: an image file, or an NBD export (<c>nbd:unix:/path[:exportname=x]</c>,
/// <c>nbd://127.0.0.1:port/export</c>, <c>nbd+unix:///export?socket=/path</c>).
/// </summary>
public sealed record DiskSource
{
    private DiskSource(string location, bool isNbd, string format, bool discardWrites)
    {
        Location = location;
        IsNbd = isNbd;
        Format = format;
        DiscardWrites = discardWrites;
    }

    /// <summary>File path or NBD URI.</summary>
    public string Location { get; }
    public bool IsNbd { get; }

    /// <summary>QEMU block format of the file (raw, qcow2, vpc); NBD exports are raw.</summary>
    public string Format { get; }

    /// <summary>
    /// Guest writes go to a throw-away overlay (<c>snapshot=on</c>) so the image never changes.
    /// (IDE cannot attach a read-only drive, so this is how a booted image stays untouched.)
    /// </summary>
    public bool DiscardWrites { get; }

    public static DiskSource File(string path, string format = "raw", bool discardWrites = true)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Disk image path is empty.", nameof(path));
        if (path.Contains(','))
            throw new ArgumentException($"Disk image path '{path}' contains ',', which QEMU's -drive syntax cannot take.", nameof(path));
        return new DiskSource(Path.GetFullPath(path), false, format, discardWrites);
    }

    public static DiskSource Nbd(string uri, bool discardWrites = true)
    {
        if (!(uri.StartsWith("nbd:unix:", StringComparison.Ordinal) || uri.StartsWith("nbd://", StringComparison.Ordinal)
              || uri.StartsWith("nbd+unix://", StringComparison.Ordinal) || uri.StartsWith("nbd:", StringComparison.Ordinal)))
            throw new ArgumentException($"'{uri}' is not an NBD address (nbd:unix:/path, nbd://host:port/export or nbd+unix:///export?socket=/path).", nameof(uri));
        if (uri.Contains(','))
            throw new ArgumentException($"NBD address '{uri}' contains ',', which QEMU's -drive syntax cannot take.", nameof(uri));
        return new DiskSource(uri, true, "raw", discardWrites);
    }
}
