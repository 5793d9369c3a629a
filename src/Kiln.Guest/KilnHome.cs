namespace Kiln.Guest;

/// <summary>
/// The repository root: $KILN_HOME (set by ./kiln and ./test.sh), else the first parent of the
/// current directory or of this assembly that holds Kiln.slnx (tests run from bin/ folders).
/// </summary>
public static class KilnHome
{
    public static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("KILN_HOME");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment))
            return fromEnvironment;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kiln.slnx")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the Kiln repository root: set KILN_HOME or run from inside the repository.");
    }
}
