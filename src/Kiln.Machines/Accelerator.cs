namespace Kiln.Machines;

/// <summary>How QEMU runs guest code: TCG (emulation, always available) or KVM (only where /dev/kvm works).</summary>
public enum Accelerator
{
    Tcg,
    Kvm,
}
