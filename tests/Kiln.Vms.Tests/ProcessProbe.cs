namespace Kiln.Vms.Tests;

/// <summary>Is any process running with this text on its command line? (A VM's unique name, a socket path.)</summary>
public static class ProcessProbe
{
    public static bool Exists(string commandLineText)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")).Contains(commandLineText, StringComparison.Ordinal))
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
