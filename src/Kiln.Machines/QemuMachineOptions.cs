namespace Kiln.Machines;

/// <summary>How <see cref="QemuMachine.StartAsync"/> runs a VM, beyond the VM itself.</summary>
public sealed record QemuMachineOptions
{
    /// <summary>Where to keep the timestamped console log; null = inside the VM's private temp folder (deleted with it).</summary>
    public string? ConsoleLogPath { get; init; }

    /// <summary>Parent of the VM's private temp folder (OVMF variables copy, default console log); null = the system temp folder.</summary>
    public string? TempRoot { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
