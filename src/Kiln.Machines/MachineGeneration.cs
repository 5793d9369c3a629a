namespace Kiln.Machines;

/// <summary>Azure's Hyper-V generation: V1 boots through BIOS (SeaBIOS here), V2 through UEFI (OVMF).</summary>
public enum MachineGeneration
{
    Gen1,
    Gen2,
}
