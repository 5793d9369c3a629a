using System.Text.Json;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Partitions;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.Inspection;

public class ImageInspectorLinuxTests
{
    private const long MiB = 1 << 20;

    private static string Root(TempDir temp, bool generalized, string name = "root")
    {
        var tree = Ext4Image.LinuxTree(temp, name, machineId: generalized ? "" : "5f1e0c2a9d7b4e61a3c8f0b2d4e6a8c1\n", sshKeys: !generalized);
        if (!generalized)
        {
            Directory.CreateDirectory(Path.Combine(tree, "var/lib/cloud/instances/i-123"));
            File.CreateSymbolicLink(Path.Combine(tree, "var/lib/cloud/instance"), "/var/lib/cloud/instances/i-123");
            Ext4Image.WriteUnder(tree, "var/lib/waagent/provisioned", "");
        }
        // A shell binary whose ELF header says x86-64 (e_machine 0x3E).
        var elf = new byte[64];
        elf[0] = 0x7F; elf[1] = (byte)'E'; elf[2] = (byte)'L'; elf[3] = (byte)'F'; elf[4] = 2; elf[5] = 1; elf[0x12] = 0x3E;
        Directory.CreateDirectory(Path.Combine(tree, "bin"));
        File.WriteAllBytes(Path.Combine(tree, "bin/busybox"), elf);
        File.CreateSymbolicLink(Path.Combine(tree, "bin/sh"), "busybox");
        return Ext4Image.Build(temp, tree, "ext4", "16M");
    }

    private static async Task<ImageFacts> InspectAsync(string path)
    {
        await using var image = await DiskImage.OpenAsync(path);
        return await ImageInspector.InspectAsync(image, CancellationToken.None);
    }

    [Fact]
    public async Task Gen1_Mbr_GeneralizedLinux_IsEligible()
    {
        using var temp = new TempDir();
        var disk = DiskBuilder.Mbr(temp, 40 * MiB, new DiskPart(Root(temp, generalized: true), 20, "83", "8300", Bootable: true));
        var f = await InspectAsync(disk);

        Assert.Equal("raw", f.Format);
        Assert.Equal(40 * MiB, f.VirtualSizeBytes);
        Assert.Equal(PartitionScheme.Mbr, f.PartitionScheme);
        var p = Assert.Single(f.Partitions);
        Assert.Equal((1, MiB, 20 * MiB, "0x83", true, "ext4"), (p.Index, p.OffsetBytes, p.SizeBytes, p.Type, p.Bootable, p.FileSystem));
        Assert.Equal(HyperVGeneration.V1, f.HyperVGeneration);
        Assert.Equal(CpuArchitecture.X64, f.Architecture); // from /bin/sh → busybox ELF
        Assert.Equal(OsType.Linux, f.OsType);
        Assert.Equal("Debian GNU/Linux 13 (trixie)", f.Distro);
        Assert.Equal(OsState.Generalized, f.OsState);
        Assert.Contains(f.OsStateEvidence, e => e.Contains("machine-id is empty"));
        Assert.Contains(f.OsStateEvidence, e => e.Contains("no SSH host keys"));
        Assert.True(f.VmBootOptimization.Eligible);
        Assert.Empty(f.VmBootOptimization.Reasons);
        Assert.Empty(f.Warnings);
    }

    [Fact]
    public async Task SpecializedLinux_ListsEveryFinding_AndIsRefused()
    {
        using var temp = new TempDir();
        var disk = DiskBuilder.Mbr(temp, 40 * MiB, new DiskPart(Root(temp, generalized: false), 20, "83", "8300", Bootable: true));
        var f = await InspectAsync(disk);

        Assert.Equal(OsState.Specialized, f.OsState);
        Assert.Contains(f.OsStateEvidence, e => e.Contains("machine-id is set"));
        Assert.Contains(f.OsStateEvidence, e => e.Contains("ssh_host_ed25519_key"));
        Assert.Contains(f.OsStateEvidence, e => e.Contains("cloud-init instance state exists"));
        Assert.Contains(f.OsStateEvidence, e => e.Contains("waagent"));
        Assert.False(f.VmBootOptimization.Eligible);
        var reason = Assert.Single(f.VmBootOptimization.Reasons);
        Assert.Contains("specialized", reason);
        Assert.Contains("deprovision", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("BOOTX64.EFI", ExecutableArchitecture.PeMachineAmd64, CpuArchitecture.X64, true)]
    [InlineData("BOOTAA64.EFI", ExecutableArchitecture.PeMachineArm64, CpuArchitecture.Arm64, false)]
    public async Task Gen2_Gpt_WithEspLoader_TakesArchitectureFromThePeMachine(string loader, ushort machine, CpuArchitecture expected, bool eligible)
    {
        using var temp = new TempDir();
        var disk = DiskBuilder.Gpt(temp, 64 * MiB,
            new DiskPart(DiskBuilder.Esp(temp, loader, machine), 20, "ef", "ef00"),
            new DiskPart(Root(temp, generalized: true), 20, "83", "8300"));
        var f = await InspectAsync(disk);

        Assert.Equal(PartitionScheme.Gpt, f.PartitionScheme);
        Assert.Equal(2, f.Partitions.Count);
        Assert.True(f.Partitions[0].EfiSystemPartition);
        Assert.Equal("fat16", f.Partitions[0].FileSystem);
        Assert.Equal("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", f.Partitions[0].Type);
        Assert.Equal("ext4", f.Partitions[1].FileSystem);
        Assert.Equal(HyperVGeneration.V2, f.HyperVGeneration);
        Assert.Equal(expected, f.Architecture);
        Assert.Equal(OsType.Linux, f.OsType);
        Assert.Equal(OsState.Generalized, f.OsState);
        Assert.Equal(eligible, f.VmBootOptimization.Eligible);
        if (!eligible) Assert.Contains("Arm64", Assert.Single(f.VmBootOptimization.Reasons));
    }

    [Fact]
    public async Task GptWithoutEfiLoader_IsGen1()
    {
        using var temp = new TempDir();
        var disk = DiskBuilder.Gpt(temp, 64 * MiB,
            new DiskPart(FatImage.Build(temp, 16), 20, "ef", "ef00"),
            new DiskPart(Root(temp, generalized: true), 20, "83", "8300"));
        Assert.Equal(HyperVGeneration.V1, (await InspectAsync(disk)).HyperVGeneration);
    }

    [Fact]
    public async Task LargerThan2TiB_IsRefused_WithTheSize()
    {
        using var temp = new TempDir();
        long size = (2L << 40) + 64 * MiB; // just over 2 TiB, sparse
        var disk = DiskBuilder.Gpt(temp, size,
            new DiskPart(DiskBuilder.Esp(temp, "BOOTX64.EFI", ExecutableArchitecture.PeMachineAmd64), 20, "ef", "ef00"),
            new DiskPart(Root(temp, generalized: true), 20, "83", "8300"));
        var f = await InspectAsync(disk);

        Assert.Equal(size, f.VirtualSizeBytes);
        Assert.Equal(OsState.Generalized, f.OsState);
        Assert.False(f.VmBootOptimization.Eligible);
        var reason = Assert.Single(f.VmBootOptimization.Reasons);
        Assert.Contains("larger than 2 TB", reason);
        Assert.True(reason.Contains(size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)), reason);
    }

    [Fact]
    public async Task WholeDiskExt4_IsFound_ButNeedsAPartitionTable()
    {
        using var temp = new TempDir();
        var f = await InspectAsync(Root(temp, generalized: true));
        Assert.Equal(PartitionScheme.None, f.PartitionScheme);
        Assert.Equal("ext4", Assert.Single(f.Partitions).FileSystem);
        Assert.Equal(OsType.Linux, f.OsType);
        Assert.Contains("partition table", Assert.Single(f.VmBootOptimization.Reasons));
    }

    [Fact]
    public async Task Json_UsesTheContractNames()
    {
        using var temp = new TempDir();
        var disk = DiskBuilder.Mbr(temp, 40 * MiB, new DiskPart(Root(temp, generalized: true), 20, "83", "8300", Bootable: true));
        var f = await InspectAsync(disk);
        using var doc = JsonDocument.Parse(f.ToJson());
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var n in new[] { "format", "virtualSizeBytes", "allocatedBytes", "partitionScheme", "partitions", "hyperVGeneration",
                     "architecture", "osType", "distro", "osState", "osStateEvidence", "vmBootOptimization" })
            Assert.Contains(n, names);
        Assert.Equal("MBR", doc.RootElement.GetProperty("partitionScheme").GetString());
        Assert.Equal("x64", doc.RootElement.GetProperty("architecture").GetString());
        Assert.Equal("V1", doc.RootElement.GetProperty("hyperVGeneration").GetString());
        Assert.Equal("Generalized", doc.RootElement.GetProperty("osState").GetString());
        Assert.True(doc.RootElement.GetProperty("vmBootOptimization").GetProperty("eligible").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("vmBootOptimization").GetProperty("reasons").GetArrayLength());
        Assert.Equal(f, ImageFacts.FromJson(f.ToJson()) with { Partitions = f.Partitions, OsStateEvidence = f.OsStateEvidence, Warnings = f.Warnings, VmBootOptimization = f.VmBootOptimization });
    }

    [Fact]
    public async Task CorruptGpt_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var disk = DiskBuilder.Gpt(temp, 64 * MiB, new DiskPart(Root(temp, generalized: true), 20, "83", "8300"));
        ImageBytes.Patch(disk, 512 + 16, 0xDE, 0xAD);
        ImageBytes.Patch(disk, 64 * MiB - 512 + 16, 0xDE, 0xAD);
        await Assert.ThrowsAsync<CorruptImageException>(() => InspectAsync(disk));
    }

    [Fact]
    public async Task Gen1_KernelOnASeparateBootPartition_GivesTheArchitecture()
    {
        using var temp = new TempDir();
        var boot = FatImage.Build(temp, 16, "BOOT");
        var kernel = new byte[4096]; // an x86 boot image: "HdrS" at 0x202, XLF_KERNEL_64 in xloadflags
        "HdrS"u8.CopyTo(kernel.AsSpan(0x202));
        kernel[0x236] = 1;
        FatImage.Copy(temp, boot, kernel, "/vmlinuz");
        var tree = Ext4Image.LinuxTree(temp, "bare", machineId: "", sshKeys: false); // no binaries in the root
        var disk = DiskBuilder.Mbr(temp, 48 * MiB,
            new DiskPart(boot, 20, "6", "0700", Bootable: true),
            new DiskPart(Ext4Image.Build(temp, tree, "ext4", "16M"), 20, "83", "8300"));
        var f = await InspectAsync(disk);

        Assert.Equal(CpuArchitecture.X64, f.Architecture);
        Assert.Contains("/vmlinuz", f.ArchitectureSource);
        Assert.Equal(OsType.Linux, f.OsType);
        Assert.Equal(HyperVGeneration.V1, f.HyperVGeneration);
        Assert.True(f.VmBootOptimization.Eligible);
    }

    [Fact]
    public void Arm64KernelImage_AndGzippedKernel_AreRecognized()
    {
        var image = new byte[4096];
        "ARM\x64"u8.CopyTo(image.AsSpan(0x38));
        Assert.Equal(CpuArchitecture.Arm64, ExecutableArchitecture.Detect(image)!.Value.Architecture);
        using var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(image);
        Assert.Equal(CpuArchitecture.Arm64, ExecutableArchitecture.DetectMaybeCompressed(ms.ToArray())!.Value.Architecture);
        Assert.Null(ExecutableArchitecture.Detect(new byte[4096]));
    }
}
