using Kiln.Machines;

namespace Kiln.Vms;

/// <summary>The VM around a disk for <see cref="DeviceBoot"/>.</summary>
public sealed record DeviceBootOptions
{
    public required MachineGeneration Generation { get; init; }
    public BootCompletion Completion { get; init; } = new();

    /// <summary>Holds the NBD socket and the VM's folder; the caller owns (and deletes) it.</summary>
    public required string WorkDirectory { get; init; }

    public int MemoryMiB { get; init; } = 512;
    public DiskBus Bus { get; init; } = DiskBus.Ide;

    /// <summary>Called just before QEMU starts: the zero of <see cref="BootResult.SecondsToReady"/>.</summary>
    public Action? OnStarted { get; init; }

    /// <summary>Called when the boot completed (ready, off, timeout), before the VM is stopped: e.g. to snapshot statistics at the ready moment.</summary>
    public Action<BootResult>? OnCompleted { get; init; }
}
