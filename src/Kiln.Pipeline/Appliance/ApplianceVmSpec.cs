using System.Globalization;
using Kiln.Machines;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// The appliance VM as a <see cref="VmSpec"/> (pure, tested without QEMU): direct kernel boot
/// (-kernel/-initrd/-append, no firmware boot loader), the staged image as the first virtio
/// disk written in place (it is the run's private copy), the job disk as the second one,
/// read-only, and no network (-nic none): scriptUri and File sources are fetched by Kiln on the
/// host and carried in on the job disk.
/// </summary>
public static class ApplianceVmSpec
{
    /// <summary>
    /// Console on the serial port the machine captures; panic=-1 + QEMU's -no-reboot end the VM on
    /// a panic; loglevel=1 keeps kernel chatter out of the step output.
    /// </summary>
    public static string KernelCommandLine(int rootPartition) =>
        string.Create(CultureInfo.InvariantCulture, $"console=ttyS0,115200 panic=-1 loglevel=1 kiln.root={rootPartition}");

    public static VmSpec Build(string stagedImagePath, ImageRoot root, string kernelPath, string initrdPath, string jobDiskPath, int memoryMiB)
    {
        foreach (var (path, what) in new[] { (kernelPath, "kernel"), (initrdPath, "initramfs"), (jobDiskPath, "job disk") })
        {
            if (path.Contains(','))
                throw new ArgumentException($"The appliance {what} path '{path}' contains ',', which QEMU's option syntax cannot take.");
        }
        return new VmSpec
        {
            Name = "kiln-appliance-" + Guid.NewGuid().ToString("N")[..12],
            Disk = DiskSource.File(stagedImagePath, root.QemuFormat, discardWrites: false),
            Bus = DiskBus.Virtio,
            Generation = MachineGeneration.Gen1,
            MemoryMiB = memoryMiB,
            Network = false,
            ExtraArguments =
            [
                "-drive", $"file={Path.GetFullPath(jobDiskPath)},format=raw,if=virtio,media=disk,readonly=on",
                "-kernel", Path.GetFullPath(kernelPath),
                "-initrd", Path.GetFullPath(initrdPath),
                "-append", KernelCommandLine(root.PartitionNumber),
            ],
        };
    }
}
