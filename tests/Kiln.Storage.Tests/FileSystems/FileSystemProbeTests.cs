using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.FileSystems;

public class FileSystemProbeTests
{
    [Fact]
    public async Task RecognizesEachFileSystem_ByItsMagic()
    {
        using var temp = new TempDir();
        var cases = new (string Image, string Type)[]
        {
            (Ext4Image.Build(temp, Ext4Image.LinuxTree(temp), "ext3"), "ext3"),
            (FatImage.Build(temp, 12), "fat12"),
            (FatImage.Build(temp, 32), "fat32"),
            (NtfsImage.Build(temp, NtfsImage.WindowsTree(temp, "x"), "16M"), "ntfs"),
        };
        foreach (var (image, type) in cases)
        {
            await using var dev = RawFileDevice.Open(image);
            Assert.Equal(type, (await FileSystemProbe.OpenAsync(dev))!.Type);
            Assert.Null(await FileSystemProbe.IdentifyUnsupportedAsync(dev));
        }
        await using var zeros = new MemoryBlockDevice(1 << 20);
        Assert.Null(await FileSystemProbe.OpenAsync(zeros));
    }

    [Fact]
    public async Task NamesVolumesItDoesNotRead()
    {
        using var temp = new TempDir();
        var swap = temp.File("swap.img");
        ImageBytes.CreateSparse(swap, 4 << 20);
        Tool.Run("mkswap", swap);
        await using (var dev = RawFileDevice.Open(swap))
        {
            Assert.Null(await FileSystemProbe.OpenAsync(dev));
            Assert.Equal("swap", await FileSystemProbe.IdentifyUnsupportedAsync(dev));
        }

        // An XFS superblock starts with "XFSB" (xfsprogs is not installed here; the magic is all the probe reads).
        var xfs = temp.File("xfs.img");
        ImageBytes.CreateSparse(xfs, 8 << 20);
        ImageBytes.Patch(xfs, 0, "XFSB"u8.ToArray());
        var disk = DiskBuilder.Mbr(temp, 16 << 20, new DiskPart(xfs, 8, "83", "8300", Bootable: true));
        await using var image = await DiskImage.OpenAsync(disk);
        var f = await ImageInspector.InspectAsync(image, CancellationToken.None);
        Assert.Equal("xfs", Assert.Single(f.Partitions).FileSystem);
        Assert.Contains("xfs", Assert.Single(f.Warnings));
        Assert.Equal(OsType.Unknown, f.OsType);
        Assert.False(f.VmBootOptimization.Eligible);
    }
}
