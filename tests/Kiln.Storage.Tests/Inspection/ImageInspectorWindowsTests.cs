using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Partitions;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.Inspection;

public class ImageInspectorWindowsTests
{
    private const long MiB = 1 << 20;

    private static async Task<ImageFacts> InspectAsync(string path)
    {
        await using var image = await DiskImage.OpenAsync(path);
        return await ImageInspector.InspectAsync(image, CancellationToken.None);
    }

    [Theory]
    [InlineData("IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE", OsState.Generalized, true)]
    [InlineData("IMAGE_STATE_COMPLETE", OsState.Specialized, false)]
    [InlineData("IMAGE_STATE_UNDEPLOYABLE", OsState.Unknown, false)]
    public async Task Gen1_Mbr_Ntfs_StateIniDecidesTheState(string imageState, OsState expected, bool eligible)
    {
        using var temp = new TempDir();
        var tree = NtfsImage.WindowsTree(temp, imageState, kernel: DiskBuilder.MinimalPe(ExecutableArchitecture.PeMachineAmd64));
        var disk = DiskBuilder.Mbr(temp, 40 * MiB, new DiskPart(NtfsImage.Build(temp, tree, "24M"), 24, "7", "0700", Bootable: true));
        var f = await InspectAsync(disk);

        Assert.Equal(PartitionScheme.Mbr, f.PartitionScheme);
        var p = Assert.Single(f.Partitions);
        Assert.Equal(("0x07", "ntfs", "Windows", true), (p.Type, p.FileSystem, p.Label, p.Bootable));
        Assert.Equal(OsType.Windows, f.OsType);
        Assert.Equal("Windows", f.Distro);
        Assert.Equal(HyperVGeneration.V1, f.HyperVGeneration);
        Assert.Equal(CpuArchitecture.X64, f.Architecture); // from ntoskrnl.exe's PE machine
        Assert.Equal(expected, f.OsState);
        Assert.Contains(f.OsStateEvidence, e => e.Contains(imageState));
        Assert.Equal(eligible, f.VmBootOptimization.Eligible);
        if (!eligible) Assert.Contains("generalize", Assert.Single(f.VmBootOptimization.Reasons), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Gen2_Gpt_WindowsWithEsp_IsV2()
    {
        using var temp = new TempDir();
        var tree = NtfsImage.WindowsTree(temp, "IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE");
        var disk = DiskBuilder.Gpt(temp, 64 * MiB,
            new DiskPart(DiskBuilder.Esp(temp, "BOOTX64.EFI", ExecutableArchitecture.PeMachineAmd64), 20, "ef", "ef00"),
            new DiskPart(NtfsImage.Build(temp, tree, "24M"), 24, "7", "0700"));
        var f = await InspectAsync(disk);

        Assert.Equal(HyperVGeneration.V2, f.HyperVGeneration);
        Assert.Equal(CpuArchitecture.X64, f.Architecture);
        Assert.Equal(OsType.Windows, f.OsType);
        Assert.Equal(OsState.Generalized, f.OsState);
        Assert.Equal(Partition.MicrosoftBasicDataType.ToString().ToUpperInvariant(), f.Partitions[1].Type);
        Assert.True(f.VmBootOptimization.Eligible);
    }

    [Fact]
    public async Task MissingStateIni_IsUnknown_WithEvidence()
    {
        using var temp = new TempDir();
        var tree = NtfsImage.WindowsTree(temp, "x");
        File.Delete(Path.Combine(tree, "Windows/Setup/State/State.ini"));
        var disk = DiskBuilder.Mbr(temp, 40 * MiB, new DiskPart(NtfsImage.Build(temp, tree, "24M"), 24, "7", "0700", Bootable: true));
        var f = await InspectAsync(disk);
        Assert.Equal(OsState.Unknown, f.OsState);
        Assert.Contains(f.OsStateEvidence, e => e.Contains("State.ini is missing"));
        Assert.False(f.VmBootOptimization.Eligible);
    }
}
