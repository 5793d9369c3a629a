namespace Kiln.Pipeline.Appliance;

/// <summary>How the appliance VM runs (not what it does: that is the <see cref="ApplianceJob"/>).</summary>
public sealed record ApplianceOptions
{
    /// <summary>The hard limit for the whole boot; the VM is killed when it passes (TCG boots take ~15-40 s before any script runs).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(60);

    public int MemoryMiB { get; init; } = 512;

    /// <summary>
    /// Whether scripts reach the network (slirp NAT through the host, <see cref="ApplianceNetwork"/>),
    /// as they do on Azure Image Builder's build VM. On by default; off gives QEMU -nic none and no NIC.
    /// </summary>
    public bool Network { get; init; } = true;

    /// <summary>Parent of the appliance's private work folder (initramfs, job disk, QEMU's folder); null = the system temp folder.</summary>
    public string? WorkRoot { get; init; }

    /// <summary>Where the Debian kernel is unpacked; null = $KILN_HOME/.cache/kernel (fetched when missing).</summary>
    public string? KernelDirectory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
