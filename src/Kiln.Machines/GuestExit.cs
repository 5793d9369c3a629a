namespace Kiln.Machines;

/// <summary>
/// Tells a clean power-off from a crash once QEMU has exited. With -no-reboot both a guest
/// power-off and a guest reboot (which panic=-1 turns a kernel panic into) make QEMU exit 0,
/// so the console decides: a panic or a restart means the boot failed.
/// </summary>
public static class GuestExit
{
    private static readonly string[] FailureMarkers = ["Kernel panic", "reboot: Restarting system"];

    public static BootCompletionReason Classify(int exitCode, IEnumerable<ConsoleLine> console) =>
        exitCode != 0 || console.Any(l => FailureMarkers.Any(m => l.Text.Contains(m, StringComparison.Ordinal)))
            ? BootCompletionReason.Crashed
            : BootCompletionReason.PoweredOff;
}
