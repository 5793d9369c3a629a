namespace Kiln.Machines;

/// <summary>Everything needed to start one VM; turned into a QEMU command line by <see cref="QemuArguments"/>.</summary>
public sealed record VmSpec
{
    public const string DefaultOvmfCodePath = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string DefaultOvmfVarsTemplatePath = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    public required DiskSource Disk { get; init; }
    public MachineGeneration Generation { get; init; } = MachineGeneration.Gen1;

    /// <summary>Unique QEMU -name; lets the cleanup tests find (or not find) this VM's process.</summary>
    public string Name { get; init; } = "kiln-vm-" + Guid.NewGuid().ToString("N")[..12];

    public Accelerator Accelerator { get; init; } = Accelerator.Tcg;
    public int MemoryMiB { get; init; } = 512;
    public int Cpus { get; init; } = 1;
    public DiskBus Bus { get; init; } = DiskBus.Ide;

    /// <summary>Off by default: a boot being measured must not wait on DHCP or reach the network.</summary>
    public bool Network { get; init; }

    public string QemuBinary { get; init; } = "qemu-system-x86_64";
    public string OvmfCodePath { get; init; } = DefaultOvmfCodePath;
    public string OvmfVarsTemplatePath { get; init; } = DefaultOvmfVarsTemplatePath;

    /// <summary>The writable UEFI variables file of this VM (Gen2). <see cref="QemuMachine"/> fills in a private copy of the template.</summary>
    public string? OvmfVarsPath { get; init; }

    /// <summary>Appended verbatim (tests, experiments).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
