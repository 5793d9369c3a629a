using System.Text.RegularExpressions;

namespace Kiln.Machines;

/// <summary>When a boot counts as complete; the first condition met wins, the hard timeout always applies.</summary>
public sealed record BootCompletion
{
    /// <summary>
    /// Common "the OS is up" lines: a getty login prompt, cloud-init's final
    /// "Cloud-init v. X finished at …", systemd reaching the multi-user target, and the test
    /// images' KILN-READY marker.
    /// </summary>
    public const string DefaultReadyPattern =
        @"login:\s*$|Cloud-init v\. \S+ finished|Reached target.*Multi-User|KILN-READY";

    public Regex ReadyPattern { get; init; } = new(DefaultReadyPattern, RegexOptions.CultureInvariant);

    /// <summary>The VM is killed when this passes, whatever happens.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Disk reads so far (e.g. from the boot-trace filter); null disables quiescence detection.</summary>
    public Func<long>? ReadCounter { get; init; }

    /// <summary>How long the read counter must stay unchanged (after at least one read) to call the boot complete.</summary>
    public TimeSpan QuiescencePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the read counter is sampled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public static BootCompletion WithPattern(string regex) =>
        new() { ReadyPattern = new Regex(regex, RegexOptions.CultureInvariant) };
}
