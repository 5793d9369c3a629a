namespace Kiln.Architecture.Tests;

internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kiln.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"Kiln.slnx not found above {AppContext.BaseDirectory}.");
    }
}
