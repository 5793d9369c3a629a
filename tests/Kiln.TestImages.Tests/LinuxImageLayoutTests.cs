using System.Text.RegularExpressions;
using Kiln.TestImages;
using Kiln.Guest;

namespace Kiln.TestImages.Tests;

[Collection(BuiltImagesCollection.Name)]
public class LinuxImageLayoutTests(BuiltImages images)
{
    [Fact]
    public async Task Gen1_IsMbrWithActiveFatBootAndExt4Root()
    {
        var image = await images.GetAsync("gen1");
        var dump = await Tools.SfdiskDumpAsync(image);
        Assert.Contains("label: dos", dump);
        Assert.Matches(@"raw1 : start=\s*2048, size=\s*\d+, type=e, bootable", dump);
        Assert.Matches(@"raw2 : start=\s*\d+, size=\s*\d+, type=83", dump);

        var mbr = new byte[440];
        await using (var file = File.OpenRead(image)) await file.ReadExactlyAsync(mbr);
        var code = await File.ReadAllBytesAsync(Gen1DiskBuilder.MbrBootCodePath);
        Assert.Equal(code, mbr[..code.Length]);

        var config = System.Text.Encoding.ASCII.GetString(await Tools.FatReadAsync(image, 1, "/syslinux.cfg"));
        Assert.Contains("console=ttyS0", config);
        Assert.NotEmpty(await Tools.FatReadAsync(image, 1, "/ldlinux.sys"));
        Assert.Equal(await File.ReadAllBytesAsync(KernelCache.DefaultDirectory + "/vmlinuz"), await Tools.FatReadAsync(image, 1, "/vmlinuz"));
    }

    [Fact]
    public async Task Generalized_HasEmptyMachineIdAndNoHostKeys()
    {
        var image = await images.GetAsync("gen1");
        Assert.Contains("ID=kiln-test", await Tools.DebugfsAsync(image, 2, "cat /etc/os-release"));
        Assert.Equal("", (await Tools.DebugfsAsync(image, 2, "cat /etc/machine-id")).Trim());
        var ssh = await Tools.DebugfsAsync(image, 2, "ls /etc/ssh");
        Assert.Contains("sshd_config", ssh);
        Assert.DoesNotContain("ssh_host_", ssh);
    }

    [Fact]
    public async Task Gen2Specialized_IsGptWithUkiOnTheEspAndAMachineIdentity()
    {
        var image = await images.GetAsync("gen2-specialized");
        var dump = await Tools.SfdiskDumpAsync(image);
        Assert.Contains("label: gpt", dump);
        Assert.Contains($"type={PartitionTable.EfiSystemPartitionType}", dump);
        Assert.Contains($"type={PartitionTable.LinuxFileSystemType}", dump);

        var uki = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(uki, await Tools.FatReadAsync(image, 1, "/EFI/BOOT/BOOTX64.EFI"));
            var sections = await ToolRunner.RunAsync("objdump", ["-h", uki], CancellationToken.None);
            foreach (var section in new[] { ".osrel", ".cmdline", ".linux", ".initrd" })
                Assert.Contains(section, sections);
        }
        finally
        {
            File.Delete(uki);
        }

        Assert.Matches("^[0-9a-f]{32}$", (await Tools.DebugfsAsync(image, 2, "cat /etc/machine-id")).Trim());
        var ssh = await Tools.DebugfsAsync(image, 2, "ls /etc/ssh");
        Assert.Contains("ssh_host_ed25519_key", ssh);
        Assert.Contains("ssh_host_rsa_key.pub", ssh);
    }

    [Fact]
    public async Task WorkingSet_IsListedAndScatteredOverTheRoot()
    {
        var image = await images.GetAsync("gen1");
        var manifest = (await Tools.DebugfsAsync(image, 2, "cat /" + InitScript.WorkingSetManifest))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(BuiltImages.WorkingSetFiles, manifest.Length);

        long total = 0;
        var firstBlocks = new List<long>();
        foreach (var file in manifest)
        {
            var stat = await Tools.DebugfsAsync(image, 2, $"stat /{file}");
            total += long.Parse(Regex.Match(stat, @"Size: (\d+)").Groups[1].Value);
            firstBlocks.Add(long.Parse(Regex.Match(stat, @"\(0(?:-\d+)?\):(\d+)").Groups[1].Value));
        }
        Assert.Equal((long)BuiltImages.WorkingSetMegabytes << 20, total);
        // Consecutive files lie far apart (an fallocated filler between each pair), spanning most of the root.
        var gaps = firstBlocks.Zip(firstBlocks.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.True(gap > 4096, $"gap of {gap} blocks between working-set files"));
        Assert.True(firstBlocks[^1] - firstBlocks[0] > (new TestImageSpec().RootPartitionMegabytes << 20) / 4096 / 2);
    }

    [Fact]
    public async Task Arm64_HasOnlyAnAArch64Loader()
    {
        var image = await images.GetAsync("arm64");
        var loader = await Tools.FatReadAsync(image, 1, "/EFI/BOOT/BOOTAA64.EFI");
        var peOffset = BitConverter.ToInt32(loader, 0x3C);
        Assert.Equal(PeImageWriter.MachineArm64, BitConverter.ToUInt16(loader, peOffset + 4));
        await Assert.ThrowsAsync<ToolFailedException>(() => Tools.FatReadAsync(image, 1, "/EFI/BOOT/BOOTX64.EFI"));
    }

    [Fact]
    public async Task Huge_IsASparseGptDiskBeyondTwoTerabytes()
    {
        var image = await images.GetAsync("huge");
        var info = new FileInfo(image);
        Assert.True(info.Length > 2_000_000_000_000L, $"virtual size {info.Length}");
        Assert.Contains("label: gpt", await Tools.SfdiskDumpAsync(image));
        var allocatedBlocks = long.Parse((await ToolRunner.RunAsync("stat", ["-c", "%b", image], CancellationToken.None)).Trim());
        Assert.True(allocatedBlocks * 512 < 1L << 30, $"{allocatedBlocks * 512} bytes allocated: the image must stay sparse");
        Assert.Contains("ID=kiln-test", await Tools.DebugfsAsync(image, 2, "cat /etc/os-release"));
    }
}
