namespace Kiln.Storage.FileSystems;

/// <summary>Caps that keep a hostile image from making a parser loop for ever or allocate without bound.</summary>
public static class FileSystemLimits
{
    public const long DefaultMaxFileBytes = 64L << 20;

    /// <summary>Most symlinks followed while resolving one path (Linux uses 40).</summary>
    public const int MaxSymlinkHops = 40;

    /// <summary>Most entries one directory may yield before it is called corrupt.</summary>
    public const int MaxDirectoryEntries = 1_000_000;

    /// <summary>Deepest path accepted (components).</summary>
    public const int MaxPathComponents = 256;
}
