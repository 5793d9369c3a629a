using Kiln.Machines;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Tests.Appliance;

public class ApplianceVmSpecTests
{
    [Fact]
    public void Spec_BootsTheKernelDirectly_WritesTheStagedDiskInPlace_JobDiskReadOnly_NetworkOff()
    {
        var spec = ApplianceVmSpec.Build("/staging/run/image.qcow2", new ImageRoot("qcow2", 2), "/k/vmlinuz", "/w/initrd.img", "/w/job.ext4", 512, network: false);
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
        Assert.DoesNotContain("-netdev", args);
        Assert.DoesNotContain("-device", args);
        Assert.DoesNotContain("kiln.net", args[args.ToList().IndexOf("-append") + 1]);
        Assert.StartsWith("kiln-appliance-", spec.Name);
    }

    [Fact]
    public void Spec_NetworkOn_GivesOneVirtioNicOnSlirp_WithTheAddressesInitConfigures()
    {
        var spec = ApplianceVmSpec.Build("/s/i.raw", new ImageRoot("raw", 1), "/k/vmlinuz", "/w/initrd.img", "/w/job.ext4", 512, network: true);
        var args = QemuArguments.Build(spec).ToList();

        var netdevs = args.Select((a, i) => (a, i)).Where(x => x.a == "-netdev").Select(x => args[x.i + 1]).ToList();
        Assert.Equal(["user,id=kiln-net,net=10.0.2.0/24,host=10.0.2.2,dns=10.0.2.3,ipv6=off"], netdevs);
        var devices = args.Select((a, i) => (a, i)).Where(x => x.a == "-device").Select(x => args[x.i + 1]).ToList();
        Assert.Equal(["virtio-net-pci,netdev=kiln-net"], devices);
        Assert.EndsWith("kiln.root=1 kiln.net=1", args[args.IndexOf("-append") + 1]);
        // The addresses /init writes are the ones QEMU is told to use.
        Assert.Contains("ip addr add 10.0.2.15/24 dev eth0", ApplianceInit.Text);
        Assert.Contains("ip route add default via 10.0.2.2", ApplianceInit.Text);
        Assert.EndsWith("\nnameserver 10.0.2.3\n", ApplianceResolvConf.FileText);
    }

    [Fact]
    public void Options_TurnTheNetworkOnByDefault() => Assert.True(new ApplianceOptions().Network);

    [Fact]
    public void Spec_RefusesPathsQemuCannotParse() =>
        Assert.Throws<ArgumentException>(() => ApplianceVmSpec.Build("/s/i.raw", new ImageRoot("raw", 1), "/k/vmlinuz", "/w/a,b.img", "/w/job", 512, network: true));

    [Theory]
    [InlineData("raw", "raw")]
    [InlineData("qcow2", "qcow2")]
    [InlineData("vhd-fixed", "vpc")]
    [InlineData("vhd-dynamic", "vpc")]
    public void KilnFormats_MapToQemuDrivers(string kiln, string qemu) => Assert.Equal(qemu, ImageRootLocator.QemuFormat(kiln));

    [Theory]
    [InlineData(false, "console=ttyS0,115200 panic=-1 loglevel=1 kiln.root=0")]
    [InlineData(true, "console=ttyS0,115200 panic=-1 loglevel=1 kiln.root=0 kiln.net=1")]
    public void KernelCommandLine_NamesTheRootPartition_AndWhetherTheNetworkIsOn(bool network, string expected) =>
        Assert.Equal(expected, ApplianceVmSpec.KernelCommandLine(0, network));
}
