namespace Kiln.Machines;

/// <summary>Why <see cref="QemuMachine.WaitForBootAsync"/> returned.</summary>
public enum BootCompletionReason
{
    /// <summary>A console line matched the ready pattern.</summary>
    ReadyPattern,
    /// <summary>The guest powered itself off cleanly (QEMU exited 0 without a panic on the console).</summary>
    PoweredOff,
    /// <summary>The disk read counter stayed still for the quiescence period.</summary>
    Quiescent,
    /// <summary>The hard timeout passed; the VM was killed.</summary>
    Timeout,
    /// <summary>QEMU exited with an error, or the guest panicked or rebooted.</summary>
    Crashed,
}
