using Kiln.Storage.FileSystems;

namespace Kiln.Storage.Inspection;

/// <summary>The Windows product name, when the SOFTWARE registry hive can be read.</summary>
internal static class WindowsProduct
{
    public static Task<string?> TryReadAsync(IFileSystem fs, CancellationToken ct)
    {
        // TODO(inspection): parse \Windows\System32\config\SOFTWARE (regf) for
        // Microsoft\Windows NT\CurrentVersion ProductName; until then the caller reports "Windows".
        _ = fs;
        _ = ct;
        return Task.FromResult<string?>(null);
    }
}
