using Kiln.Machines;
using Kiln.Streaming.Hydration;
using Kiln.Streaming.Store;

namespace Kiln.Vms;

/// <summary>What <see cref="StreamedVm.BootAsync"/> boots and how.</summary>
public sealed record StreamedVmOptions
{
    /// <summary>The region holding the version (its chunks, pack and manifest).</summary>
    public required IRegionStore Region { get; init; }
    public required string ManifestName { get; init; }

    /// <summary>Model of the link to the region (latency, bandwidth); null reads the region directly.</summary>
    public RemoteLinkOptions? Link { get; init; }

    /// <summary>Stream the boot pack ahead of the guest when the version has one.</summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>The VM's generation; null inspects the image (through a throw-away cache, so the boot itself stays cold).</summary>
    public MachineGeneration? Generation { get; init; }

    public BootCompletion Completion { get; init; } = new();
    public int MemoryMiB { get; init; } = 512;
    public DiskBus Bus { get; init; } = DiskBus.Ide;
    public HydratingDeviceOptions Hydration { get; init; } = HydratingDeviceOptions.Default;

    /// <summary>Parent of the boot's private temp folder (cache file, socket, VM folder); null = the system temp folder.</summary>
    public string? TempRoot { get; init; }
}
