using System.Globalization;
using Kiln.Machines;

namespace Kiln.Pipeline.Appliance;

/// <summary>
/// The appliance VM as a <see cref="VmSpec"/> (pure, tested without QEMU): direct kernel boot
/// (-kernel/-initrd/-append, no firmware boot loader), the staged image as the first virtio
/// disk written in place (it is the run's private copy), the job disk as the second one,
/// read-only, and a virtio-net NIC on slirp (<see cref="ApplianceNetwork"/>) unless the network is
/// off. scriptUri and File sources are fetched by Kiln on the host either way and carried in on
/// the job disk; the network is for what the scripts themselves fetch.
/// <see cref="VmSpec.Network"/> stays false (its -nic none only stops QEMU's default NIC,
/// which -nodefaults drops already): its -nic user cannot take the fixed addresses and
/// ipv6=off, so the NIC comes as an explicit -netdev/-device pair.
/// </summary>
public static class ApplianceVmSpec
{
    /// <summary>
    /// Console on the serial port the machine captures; panic=-1 + QEMU's -no-reboot end the VM on
    /// a panic; loglevel=1 keeps kernel chatter out of the step output; kiln.net=1 tells /init to
    /// configure eth0.
    /// </summary>
    public static string KernelCommandLine(int rootPartition, bool network) =>
        string.Create(CultureInfo.InvariantCulture, $"console=ttyS0,115200 panic=-1 loglevel=1 kiln.root={rootPartition}{(network ? " kiln.net=1" : "")}");

    public static VmSpec Build(string stagedImagePath, ImageRoot root, string kernelPath, string initrdPath, string jobDiskPath, int memoryMiB, bool network)
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
                "-append", KernelCommandLine(root.PartitionNumber, network),
                .. network ? ApplianceNetwork.QemuArguments() : [],
            ],
        };
    }
}
