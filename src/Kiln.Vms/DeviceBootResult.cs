using Kiln.Machines;

namespace Kiln.Vms;

/// <summary>What <see cref="DeviceBoot.RunAsync"/> saw: the boot outcome, and enough of the console to explain a failure (the log itself is deleted with the VM).</summary>
public sealed record DeviceBootResult(BootResult Boot, string VmName, DateTimeOffset StartedAt, IReadOnlyList<string> ConsoleTail, string StandardError)
{
    public bool Ready => Boot.Reason == BootCompletionReason.ReadyPattern;

    /// <summary>A one-paragraph explanation for a boot that did not reach its ready line.</summary>
    public string Describe() =>
        $"VM {VmName} ended with {Boot.Reason} (exit code {Boot.ExitCode?.ToString() ?? "none"}); last console lines:\n  "
        + string.Join("\n  ", ConsoleTail)
        + (string.IsNullOrWhiteSpace(StandardError) ? "" : "\nqemu stderr: " + StandardError.Trim());
}
