namespace Kiln.Optimization.Tests;

/// <summary>Looks for a process by the unique VM name on its command line (/proc), as the cleanup tests need.</summary>
internal static class QemuProcesses
{
    public static bool Exists(string vmName)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")).Contains(vmName, StringComparison.Ordinal))
                    return true;
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }
        return false;
    }
}
