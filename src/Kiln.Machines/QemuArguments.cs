using System.Globalization;

namespace Kiln.Machines;

/// <summary>
/// Builds the qemu-system-x86_64 argument list for a <see cref="VmSpec"/>: a pure function,
/// tested without starting QEMU. The console is the first serial port on stdio (the machine
/// reads it from the pipe); -nodefaults drops the default CD-ROM, NIC and VGA so firmware does
/// not try to boot them, and -no-reboot turns a guest reboot or panic into QEMU exiting.
/// </summary>
public static class QemuArguments
{
    public static IReadOnlyList<string> Build(VmSpec spec)
    {
        if (spec.MemoryMiB < 16)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.MemoryMiB, "VmSpec.MemoryMiB must be at least 16.");
        if (spec.Cpus is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Cpus, "VmSpec.Cpus must be 1..256.");

        var args = new List<string>
        {
            "-name", $"guest={spec.Name},process={spec.Name}",
            // Gen1 = the classic i440FX PC (SeaBIOS, IDE like Azure); Gen2 = q35 with UEFI.
            "-machine", spec.Generation == MachineGeneration.Gen1 ? "pc" : "q35",
            "-accel", spec.Accelerator == Accelerator.Kvm ? "kvm" : "tcg",
            "-m", spec.MemoryMiB.ToString(CultureInfo.InvariantCulture),
            "-smp", spec.Cpus.ToString(CultureInfo.InvariantCulture),
            "-nodefaults", "-no-user-config",
            "-display", "none",
            "-no-reboot",
            "-serial", "stdio",
        };

        if (spec.Accelerator == Accelerator.Kvm)
            args.AddRange(["-cpu", "host"]);

        if (spec.Generation == MachineGeneration.Gen2)
        {
            var vars = spec.OvmfVarsPath
                ?? throw new ArgumentException("A Gen2 VmSpec needs OvmfVarsPath (a private copy of the OVMF variables template).", nameof(spec));
            args.AddRange(["-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={spec.OvmfCodePath}"]);
            args.AddRange(["-drive", $"if=pflash,format=raw,unit=1,file={vars}"]);
        }

        var drive = $"file={spec.Disk.Location},format={spec.Disk.Format},if={(spec.Bus == DiskBus.Ide ? "ide" : "virtio")},media=disk,cache=unsafe";
        if (spec.Disk.DiscardWrites)
            drive += ",snapshot=on";
        args.AddRange(["-drive", drive]);

        args.AddRange(spec.Network ? ["-nic", "user,model=virtio-net-pci"] : ["-nic", "none"]);
        args.AddRange(spec.ExtraArguments);
        return args;
    }
}
