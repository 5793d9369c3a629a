using Kiln.TestImages;
using Kiln.Guest;

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
