using Kiln.Machines;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

public class ApplianceVmSpecTests
{
    [Fact]
    public void Spec_BootsTheKernelDirectly_WritesTheStagedDiskInPlace_JobDiskReadOnly_NoNetwork()
    {
        var spec = ApplianceVmSpec.Build("/staging/run/image.qcow2", new ImageRoot("qcow2", 2), "/k/vmlinuz", "/w/initrd.img", "/w/job.ext4", 512);
        var args = QemuArguments.Build(spec);

        var drives = args.Select((a, i) => (a, i)).Where(x => x.a == "-drive").Select(x => args[x.i + 1]).ToList();
        Assert.Equal(2, drives.Count);
        Assert.StartsWith("file=/staging/run/image.qcow2,format=qcow2,if=virtio", drives[0]);
        Assert.DoesNotContain("snapshot=on", drives[0]); // the customizations must land in the staged copy
        Assert.Equal("file=/w/job.ext4,format=raw,if=virtio,media=disk,readonly=on", drives[1]);
        Assert.Equal("/k/vmlinuz", args[args.ToList().IndexOf("-kernel") + 1]);
        Assert.Equal("/w/initrd.img", args[args.ToList().IndexOf("-initrd") + 1]);
        Assert.EndsWith("kiln.root=2", args[args.ToList().IndexOf("-append") + 1]);
        Assert.Equal("none", args[args.ToList().IndexOf("-nic") + 1]);
        Assert.StartsWith("kiln-appliance-", spec.Name);
    }

    [Fact]
    public void Spec_RefusesPathsQemuCannotParse() =>
        Assert.Throws<ArgumentException>(() => ApplianceVmSpec.Build("/s/i.raw", new ImageRoot("raw", 1), "/k/vmlinuz", "/w/a,b.img", "/w/job", 512));

    [Theory]
    [InlineData("raw", "raw")]
    [InlineData("qcow2", "qcow2")]
    [InlineData("vhd-fixed", "vpc")]
    [InlineData("vhd-dynamic", "vpc")]
    public void KilnFormats_MapToQemuDrivers(string kiln, string qemu) => Assert.Equal(qemu, ImageRootLocator.QemuFormat(kiln));

    [Fact]
    public void KernelCommandLine_NamesTheRootPartition() =>
        Assert.Equal("console=ttyS0,115200 panic=-1 loglevel=1 kiln.root=0", ApplianceVmSpec.KernelCommandLine(0));
}
