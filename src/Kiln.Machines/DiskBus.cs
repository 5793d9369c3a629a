namespace Kiln.Machines;

/// <summary>
/// How the OS disk is attached. IDE is what Azure Gen1 VMs present (on q35 QEMU maps it to
/// AHCI/SATA), and what any guest kernel can drive; virtio is faster where the guest has it.
/// </summary>
public enum DiskBus
{
    Ide,
    Virtio,
}
