using Kiln.Machines;

namespace Kiln.Machines.Tests;

public class QemuArgumentsTests
{
    private static VmSpec Gen1(string path = "/images/gen1.raw") => new() { Disk = DiskSource.File(path), Name = "vm-test" };

    private static string? ValueAfter(IReadOnlyList<string> args, string flag)
    {
        var i = args.ToList().IndexOf(flag);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    private static IEnumerable<string> ValuesAfter(IReadOnlyList<string> args, string flag) =>
        args.Select((a, i) => (a, i)).Where(t => t.a == flag && t.i + 1 < args.Count).Select(t => args[t.i + 1]);

    [Fact]
    public void Gen1_UsesPcMachineWithSeaBiosAndIdeDisk()
    {
        var args = QemuArguments.Build(Gen1());
        Assert.Equal("pc", ValueAfter(args, "-machine"));
        Assert.DoesNotContain(ValuesAfter(args, "-drive"), d => d.Contains("pflash"));
        Assert.Contains(ValuesAfter(args, "-drive"), d => d.StartsWith("file=/images/gen1.raw,format=raw,if=ide,", StringComparison.Ordinal));
    }

    [Fact]
    public void Gen2_UsesQ35WithReadOnlyOvmfCodeAndPrivateVars()
    {
        var spec = Gen1() with { Generation = MachineGeneration.Gen2, OvmfVarsPath = "/tmp/vm-test/OVMF_VARS.fd" };
        var drives = ValuesAfter(QemuArguments.Build(spec), "-drive").ToList();
        Assert.Equal("q35", ValueAfter(QemuArguments.Build(spec), "-machine"));
        Assert.Contains($"if=pflash,format=raw,unit=0,readonly=on,file={VmSpec.DefaultOvmfCodePath}", drives);
        Assert.Contains("if=pflash,format=raw,unit=1,file=/tmp/vm-test/OVMF_VARS.fd", drives);
        Assert.DoesNotContain(drives, d => d.Contains(VmSpec.DefaultOvmfVarsTemplatePath));
    }

    [Fact]
    public void Gen2_WithoutPrivateVars_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => QemuArguments.Build(Gen1() with { Generation = MachineGeneration.Gen2 }));
        Assert.Contains("OvmfVarsPath", error.Message);
    }

    [Theory]
    [InlineData(Accelerator.Tcg, "tcg", false)]
    [InlineData(Accelerator.Kvm, "kvm", true)]
    public void Accelerator_IsPassed(Accelerator accelerator, string expected, bool hostCpu)
    {
        var args = QemuArguments.Build(Gen1() with { Accelerator = accelerator });
        Assert.Equal(expected, ValueAfter(args, "-accel"));
        Assert.Equal(hostCpu, ValueAfter(args, "-cpu") == "host");
    }

    [Fact]
    public void NoNetworkUnlessAsked_AndConsoleOnStdio_AndNoReboot()
    {
        var args = QemuArguments.Build(Gen1());
        Assert.Equal("none", ValueAfter(args, "-nic"));
        Assert.Equal("stdio", ValueAfter(args, "-serial"));
        Assert.Equal("none", ValueAfter(args, "-display"));
        Assert.Contains("-no-reboot", args);
        Assert.Contains("-nodefaults", args);
        Assert.StartsWith("user,", ValueAfter(QemuArguments.Build(Gen1() with { Network = true }), "-nic"));
    }

    [Fact]
    public void MemoryCpusAndName_AreConfigurable()
    {
        var args = QemuArguments.Build(Gen1() with { MemoryMiB = 2048, Cpus = 4, Name = "kiln-unique" });
        Assert.Equal("2048", ValueAfter(args, "-m"));
        Assert.Equal("4", ValueAfter(args, "-smp"));
        Assert.Contains("kiln-unique", ValueAfter(args, "-name"));
    }

    [Theory]
    [InlineData("nbd:unix:/run/kiln/vm.sock")]
    [InlineData("nbd://127.0.0.1:10809/boot")]
    [InlineData("nbd+unix:///boot?socket=/run/kiln/vm.sock")]
    public void NbdDisk_IsAttachedAsRawDrive(string uri)
    {
        var args = QemuArguments.Build(new VmSpec { Disk = DiskSource.Nbd(uri), Bus = DiskBus.Virtio });
        Assert.Contains(ValuesAfter(args, "-drive"), d => d.StartsWith($"file={uri},format=raw,if=virtio,", StringComparison.Ordinal));
    }

    [Fact]
    public void DiscardWrites_UsesSnapshotOverlay_PersistDoesNot()
    {
        Assert.Contains(ValuesAfter(QemuArguments.Build(Gen1()), "-drive"), d => d.EndsWith(",snapshot=on", StringComparison.Ordinal));
        var persist = new VmSpec { Disk = DiskSource.File("/images/a.qcow2", "qcow2", discardWrites: false) };
        Assert.DoesNotContain(ValuesAfter(QemuArguments.Build(persist), "-drive"), d => d.Contains("snapshot"));
        Assert.Contains(ValuesAfter(QemuArguments.Build(persist), "-drive"), d => d.Contains("format=qcow2"));
    }

    [Theory]
    [InlineData("/images/a,b.raw")]
    [InlineData("")]
    public void BadDiskPaths_AreRefused(string path) =>
        Assert.Throws<ArgumentException>(() => DiskSource.File(path));

    [Theory]
    [InlineData("http://example/disk")]
    [InlineData("/path/disk.raw")]
    public void NonNbdAddresses_AreRefused(string uri) =>
        Assert.Throws<ArgumentException>(() => DiskSource.Nbd(uri));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(512, 0)]
    public void AbsurdSizes_AreRefused(int memory, int cpus) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QemuArguments.Build(Gen1() with { MemoryMiB = memory, Cpus = cpus }));
}
