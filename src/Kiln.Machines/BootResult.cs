namespace Kiln.Machines;

/// <summary>The outcome of <see cref="QemuMachine.WaitForBootAsync"/>.</summary>
/// <param name="SecondsToReady">Seconds from QEMU's start to completion; null for Timeout and Crashed.</param>
/// <param name="ConsoleLogPath">The timestamped console log ("[   1.234] line").</param>
/// <param name="MatchedLine">The console line that matched the ready pattern, if that was the reason.</param>
/// <param name="ExitCode">QEMU's exit code when it had exited.</param>
public sealed record BootResult(
    BootCompletionReason Reason,
    double? SecondsToReady,
    string ConsoleLogPath,
    string? MatchedLine,
    int? ExitCode);
