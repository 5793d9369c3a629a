using Kiln.Machines;
using Kiln.Storage.Blocks;
using Kiln.Storage.Inspection;

namespace Kiln.Vms;

/// <summary>Which firmware a disk needs: the inspector's Hyper-V generation (GPT + EFI loader = Gen2), mapped to the QEMU machine's.</summary>
public static class GenerationProbe
{
    public static async Task<MachineGeneration> DetectAsync(IBlockDevice disk, CancellationToken ct = default)
    {
        var facts = await ImageInspector.InspectAsync(disk, "raw", ct);
        return From(facts.HyperVGeneration);
    }

    public static MachineGeneration From(HyperVGeneration generation) =>
        generation == HyperVGeneration.V2 ? MachineGeneration.Gen2 : MachineGeneration.Gen1;
}
