using Kiln.Guest;
namespace Kiln.TestImages;

/// <summary>A FAT partition image built with mkfs.fat and filled with mtools (no mount).</summary>
public static class FatImage
{
    /// <param name="fatBits">12, 16 or 32.</param>
    /// <param name="files">Destination path inside the FAT (with '/' separators) → host source file.</param>
    public static async Task BuildAsync(string imagePath, long sizeBytes, int fatBits, string label,
        IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        File.Delete(imagePath);
        await ToolRunner.RunAsync("mkfs.fat", ["-C", "-F", fatBits.ToString(), "-n", label, imagePath, (sizeBytes / 1024).ToString()], cancellationToken);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var destination in files.Keys)
        {
            var parts = destination.Trim('/').Split('/');
            for (var i = 1; i < parts.Length; i++)
                directories.Add(string.Join('/', parts[..i]));
        }
        // SortedSet orders a parent before its children ("EFI" < "EFI/BOOT").
        foreach (var directory in directories)
            await ToolRunner.RunAsync("mmd", ["-i", imagePath, "::/" + directory], cancellationToken);
        foreach (var (destination, source) in files)
            await ToolRunner.RunAsync("mcopy", ["-i", imagePath, source, "::/" + destination.Trim('/')], cancellationToken);
    }
}
