namespace Kiln.Testing;

/// <summary>
/// Finds running processes by text on their command line (/proc/PID/cmdline): a VM's unique name,
/// a socket path, a temp folder. The cleanup tests use it to prove nothing was left running.
/// </summary>
public static class ProcessTable
{
    /// <summary>Process ids whose command line contains <paramref name="text"/> (and, when given, <paramref name="program"/>).</summary>
    public static IReadOnlyList<int> Find(string text, string? program = null)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains(text, StringComparison.Ordinal) && (program is null || cmdline.Contains(program, StringComparison.Ordinal)))
                    found.Add(pid);
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
        return found;
    }

    public static bool Any(string text, string? program = null) => Find(text, program).Count > 0;

    /// <summary>QEMU processes (any system emulator) whose command line contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> Qemu(string text) => Find(text, "qemu-system");
}
