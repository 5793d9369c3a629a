using Kiln.Machines;

namespace Kiln.Optimization;

/// <summary>How <see cref="BootOptimizer"/> boots an image to record its boot profile.</summary>
public sealed record BootOptimizerOptions
{
    /// <summary>Traced boots; their reads are merged. Two by default: boots are not deterministic (timers, readahead).</summary>
    public int Boots { get; init; } = 2;

    /// <summary>Console line that means "booted"; null = <see cref="BootCompletion.DefaultReadyPattern"/>.</summary>
    public string? ReadyPattern { get; init; }

    /// <summary>Hard limit per boot: the VM is killed and the optimization fails when it passes.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// No image read for this long (after the first) also counts as booted. Long on purpose: under
    /// TCG a kernel decompresses and probes hardware for many seconds without touching the disk,
    /// and calling that quiet would cut the trace before the root file system is read (measured
    /// here: 45 s of silence between loading the initramfs and the init's first root read, on a
    /// busy 2-core host).
    /// </summary>
    public TimeSpan QuiescencePeriod { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Reads are widened to this many bytes (a power of two) in the profile.</summary>
    public int Alignment { get; init; } = 4096;

    public int MemoryMiB { get; init; } = 512;
    public int Cpus { get; init; } = 1;

    /// <summary>
    /// TCG by default. KVM only when asked: on the build hosts /dev/kvm opens and even creates a
    /// VM (so <see cref="KvmProbe"/> says yes) yet a guest never gets past its boot loader, which
    /// would silently turn into a "quiescent" boot with an empty profile.
    /// </summary>
    public Accelerator Accelerator { get; init; } = Accelerator.Tcg;

    /// <summary>Parent of the run's private temp folder (NBD socket, overlay file, VM folder); null = the system temp folder.</summary>
    public string? TempRoot { get; init; }

    /// <summary>Keep each boot's timestamped serial console as boot-N.console.log here; null = discarded with the temp folder.</summary>
    public string? ConsoleLogDirectory { get; init; }

    /// <summary>Progress lines (boot started, boot complete, …).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Called as each VM starts (its QEMU name and the run's temp folder), e.g. for cleanup tests.</summary>
    public Action<OptimizerBootStarted>? BootStarted { get; init; }

    internal void Validate()
    {
        if (Boots is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(Boots), Boots, "Boots must be 1..16.");
        if (BootTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BootTimeout), BootTimeout, "BootTimeout must be positive.");
        if (QuiescencePeriod <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(QuiescencePeriod), QuiescencePeriod, "QuiescencePeriod must be positive.");
        if (Alignment < 512 || (Alignment & (Alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(Alignment), Alignment, "Alignment must be a power of two of at least 512.");
    }
}
