using System.Text;
using Kiln.TestImages;

namespace Kiln.TestImages.Tests;

public sealed class UnitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-testimage-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("gen1", TestImageVariant.Gen1, false)]
    [InlineData("gen2-specialized", TestImageVariant.Gen2, true)]
    [InlineData("Windows-Specialized", TestImageVariant.Windows, true)]
    [InlineData("arm64", TestImageVariant.Arm64, false)]
    [InlineData("huge", TestImageVariant.Huge, false)]
    public void VariantNames_Parse(string name, TestImageVariant variant, bool specialized)
    {
        var spec = TestImageSpec.FromName(name);
        Assert.Equal(variant, spec.Variant);
        Assert.Equal(specialized, spec.Specialized);
        Assert.Equal(name.ToLowerInvariant(), spec.Name);
    }

    [Fact]
    public void AllCliNames_RoundTrip() =>
        Assert.All(TestImageSpec.VariantNames, n => Assert.Equal(n, TestImageSpec.FromName(n).Name));

    [Fact]
    public void UnknownVariant_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => TestImageSpec.FromName("gen3"));
        Assert.Contains("gen1", error.Message);
    }

    [Theory]
    [InlineData(0, 16, 512)]
    [InlineData(8, 400, 512)]
    [InlineData(8, 16, 32)]
    public async Task BadSpecs_AreRefusedBeforeAnyWork(int files, int megabytes, int rootMegabytes)
    {
        var spec = new TestImageSpec { WorkingSetFiles = files, WorkingSetMegabytes = megabytes, RootPartitionMegabytes = rootMegabytes };
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TestImageFactory.BuildAsync(spec, Path.Combine(_dir, "x.raw"), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_dir, "x.raw")));
    }

    [Fact]
    public void SplitSizes_SumsToTheTotal()
    {
        var sizes = RootFileSystemBuilder.SplitSizes(10_000_003, 7);
        Assert.Equal(10_000_003, sizes.Sum());
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Theory]
    [InlineData(PeImageWriter.MachineArm64)]
    [InlineData(PeImageWriter.MachineAmd64)]
    public void PeImage_CarriesItsMachine(ushort machine)
    {
        var pe = PeImageWriter.Build(machine, PeImageWriter.SubsystemEfiApplication);
        Assert.Equal((byte)'M', pe[0]);
        var peOffset = BitConverter.ToInt32(pe, 0x3C);
        Assert.Equal("PE\0\0"u8.ToArray(), pe[peOffset..(peOffset + 4)]);
        Assert.Equal(machine, BitConverter.ToUInt16(pe, peOffset + 4));
        Assert.Equal(0x20B, BitConverter.ToUInt16(pe, peOffset + 24));
    }

    [Fact]
    public async Task PeImage_Amd64_IsReadByObjdump()
    {
        var path = Path.Combine(_dir, "ntoskrnl.exe");
        await File.WriteAllBytesAsync(path, PeImageWriter.Build(PeImageWriter.MachineAmd64, PeImageWriter.SubsystemNative));
        var header = await ToolRunner.RunAsync("objdump", ["-x", path], CancellationToken.None);
        Assert.Contains("pei-x86-64", header);
        Assert.Contains(".text", header);
    }

    [Fact]
    public async Task Cpio_IsReadByCpio()
    {
        var archive = Path.Combine(_dir, "a.cpio");
        await using (var file = File.Create(archive))
        {
            var cpio = new CpioNewcWriter(file);
            cpio.AddDirectory("bin");
            cpio.AddFile("bin/hello", "hello, kiln\n"u8, executable: true);
            cpio.AddSymlink("bin/hi", "hello");
            cpio.Finish();
        }
        var listing = await ToolRunner.RunAsync("cpio", ["-itv", "-F", archive], CancellationToken.None);
        Assert.Contains("bin/hello", listing);
        Assert.Contains("bin/hi -> hello", listing);
        Assert.Contains("rwxr-xr-x", listing);
        var content = await ToolRunner.RunAsync("cpio", ["-i", "--to-stdout", "-F", archive, "bin/hello"], CancellationToken.None);
        Assert.Equal("hello, kiln\n", content);
    }

    [Fact]
    public void KernelModules_LoadDependenciesFirst_AndSkipBuiltIns()
    {
        void Module(string path, string depends) =>
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, Path.GetDirectoryName(path)!)).FullName, Path.GetFileName(path)),
                Encoding.ASCII.GetBytes($"\u007fELF junk\0license=GPL\0depends={depends}\0name=x\0"));
        Module("kernel/fs/ext4/ext4.ko", "jbd2,mbcache,crc16");
        Module("kernel/fs/jbd2/jbd2.ko", "");
        Module("kernel/fs/mbcache.ko", "");
        Module("kernel/drivers/ata/ata_piix.ko", "libata");
        Module("kernel/drivers/ata/libata.ko", "scsi-mod");
        Module("kernel/drivers/scsi/scsi_mod.ko", "");

        var order = KernelModules.ResolveLoadOrder(_dir, ["ext4", "ata_piix"]).Select(Path.GetFileName).ToList();
        Assert.Equal(["jbd2.ko", "mbcache.ko", "ext4.ko", "scsi_mod.ko", "libata.ko", "ata_piix.ko"], order);
    }

    [Fact]
    public void KernelModules_Cycle_IsAnError()
    {
        File.WriteAllBytes(Path.Combine(_dir, "a.ko"), "\0depends=b\0"u8.ToArray());
        File.WriteAllBytes(Path.Combine(_dir, "b.ko"), "\0depends=a\0"u8.ToArray());
        var error = Assert.Throws<InvalidOperationException>(() => KernelModules.ResolveLoadOrder(_dir, ["a"]));
        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public async Task Qcow2Output_IsConvertedWithQemuImg()
    {
        var path = Path.Combine(_dir, "arm64.qcow2");
        await TestImageFactory.BuildAsync(BuiltImages.Spec("arm64"), path, CancellationToken.None);
        var info = await ToolRunner.RunAsync("qemu-img", ["info", "--output=json", path], CancellationToken.None);
        Assert.Contains("\"format\": \"qcow2\"", info);
        Assert.Empty(Directory.GetFiles(_dir, "*.converting"));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }
}
