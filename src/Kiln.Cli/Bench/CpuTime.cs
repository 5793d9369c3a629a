using System.Runtime.InteropServices;

namespace Kiln.Cli.Bench;

/// <summary>
/// CPU seconds (user + system) used by this process and by its finished children, from
/// getrusage(2). On a machine shared with other work, CPU time is a steadier figure than wall time.
/// </summary>
public static class CpuTime
{
    private const int RusageSelf = 0, RusageChildren = -1;

    // DllImport rather than LibraryImport: the CLI project does not allow unsafe code.
    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [Out] long[] usage);

    [DllImport("libc", EntryPoint = "sync")]
    private static extern void Sync();

    /// <summary>sync(2): writes back every dirty page on the machine (untimed preparation between runs).</summary>
    public static void SyncFileSystems()
    {
        if (OperatingSystem.IsLinux()) Sync();
    }

    /// <summary>Seconds of CPU used so far by this process (all threads) plus its reaped children.</summary>
    public static double Total() => Read(RusageSelf) + Read(RusageChildren);

    private static double Read(int who)
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        // struct rusage starts with two struct timeval (seconds, microseconds) for user and system
        // time, followed by 14 longs; 18 longs in all.
        var usage = new long[18];
        if (GetRusage(who, usage) != 0) return double.NaN;
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }
}
