namespace Kiln.Pipeline.Appliance;

/// <summary>Where the appliance finds the image's Linux root.</summary>
/// <param name="QemuFormat">QEMU's block driver for the file: raw, qcow2 or vpc.</param>
/// <param name="PartitionNumber">The root's partition number (vda1 = 1); 0 when the whole disk is the file system.</param>
public sealed record ImageRoot(string QemuFormat, int PartitionNumber);
