namespace Kiln.Storage.FileSystems;

/// <summary>Splits paths the same way for every file system: '/' and '\' separate, empty and "." parts drop out.</summary>
internal static class FileSystemPath
{
    public static List<string> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (var part in path.Split('/', '\\'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (parts.Count >= FileSystemLimits.MaxPathComponents)
                throw new ArgumentException($"path '{path}' has more than {FileSystemLimits.MaxPathComponents} components.", nameof(path));
            parts.Add(part);
        }
        return parts;
    }
}
