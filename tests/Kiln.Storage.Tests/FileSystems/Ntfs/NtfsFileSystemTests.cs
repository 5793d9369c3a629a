using System.Text;
using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.FileSystems.Ntfs;
using Kiln.Storage.Formats;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.FileSystems.Ntfs;

public class NtfsFileSystemTests
{
    [Fact]
    public async Task FindsSystem32_AndReadsStateIni_ResidentAndNonResidentData_LargeIndexes()
    {
        using var temp = new TempDir();
        var tree = NtfsImage.WindowsTree(temp, "IMAGE_STATE_COMPLETE");
        var big = Ext4Image.Pattern(1_500_000, 11);
        File.WriteAllBytes(Path.Combine(tree, "Windows/System32/big.dll"), big);
        for (int i = 0; i < 400; i++) // enough names to spill from $INDEX_ROOT into INDX blocks, several levels
            File.WriteAllText(Path.Combine(tree, "Windows/System32", $"driver-number-{i:D4}.sys"), $"d{i}");
        var image = NtfsImage.Build(temp, tree);

        await using var dev = RawFileDevice.Open(image);
        var fs = await NtfsFileSystem.OpenAsync(dev);
        Assert.Equal("ntfs", fs.Type);
        Assert.Equal("Windows", fs.Label);

        var sys32 = await fs.StatAsync(@"\Windows\System32");
        Assert.Equal(FileSystemEntryKind.Directory, sys32!.Kind);
        Assert.True(await fs.ExistsAsync(@"\WINDOWS\system32")); // case-insensitive
        var ini = await fs.ReadFileAsync(@"\Windows\Setup\State\State.ini");
        Assert.Contains("ImageState=IMAGE_STATE_COMPLETE", Encoding.Unicode.GetString(ini.AsSpan(2)));

        Assert.Equal(big, await fs.ReadFileAsync("/Windows/System32/big.dll"));
        Assert.Equal(big.AsSpan(777_777, 10_000).ToArray(), await fs.ReadFileRangeAsync("/Windows/System32/big.dll", 777_777, 10_000));
        var list = await fs.ListDirectoryAsync(@"\Windows\System32");
        Assert.Equal(400 + 3, list.Count); // drivers + ntoskrnl.exe + big.dll + config
        Assert.Equal("d399", Encoding.ASCII.GetString(await fs.ReadFileAsync(@"\Windows\System32\DRIVER-NUMBER-0399.SYS")));
        Assert.False(await fs.ExistsAsync(@"\Windows\System32\nothing.dll"));
    }

    [Fact]
    public async Task FileWithManyHardLinks_ReadsThroughItsAttributeList()
    {
        using var temp = new TempDir();
        var tree = Path.Combine(temp.Path, "t");
        Directory.CreateDirectory(Path.Combine(tree, "d"));
        var content = Ext4Image.Pattern(50_000, 5);
        File.WriteAllBytes(Path.Combine(tree, "d/target"), content);
        // 300 $FILE_NAME attributes cannot fit one record: an $ATTRIBUTE_LIST appears.
        Tool.Run("sh", "-c", "cd \"$0\" && for i in $(seq 0 299); do ln target link-with-a-fairly-long-name-$i; done", Path.Combine(tree, "d"));
        var image = NtfsImage.Build(temp, tree);

        await using var dev = RawFileDevice.Open(image);
        var fs = await NtfsFileSystem.OpenAsync(dev);
        var id = (await fs.StatAsync("/d/target"))!.Id;
        var record = await fs.ReadRecordAsync((ulong)id);
        Assert.Contains(record.Attributes, a => a.Type == NtfsAttribute.AttributeList);
        Assert.Equal(content, await fs.ReadFileAsync("/d/link-with-a-fairly-long-name-299"));
        Assert.Equal(301, (await fs.ListDirectoryAsync("/d")).Count);
    }

    [Fact]
    public async Task BrokenMftMagic_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var image = NtfsImage.Build(temp, NtfsImage.WindowsTree(temp, "IMAGE_STATE_COMPLETE"));
        NtfsBootSector bs;
        await using (var dev = RawFileDevice.Open(image)) bs = (await NtfsFileSystem.OpenAsync(dev)).BootSector;
        ImageBytes.Patch(image, bs.MftLcn * bs.ClusterSize, "BAAD"u8.ToArray());
        await using var dev2 = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => NtfsFileSystem.OpenAsync(dev2));
        Assert.Equal("NTFS MFT record", ex.Structure);
        Assert.Equal(bs.MftLcn * bs.ClusterSize, ex.Offset);
        Assert.Contains("FILE", ex.Message);
    }

    [Fact]
    public async Task TornUpdateSequence_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var image = NtfsImage.Build(temp, NtfsImage.WindowsTree(temp, "IMAGE_STATE_COMPLETE"));
        NtfsBootSector bs;
        await using (var dev = RawFileDevice.Open(image)) bs = (await NtfsFileSystem.OpenAsync(dev)).BootSector;
        long rootRecord = bs.MftLcn * bs.ClusterSize + 5L * bs.MftRecordSize;
        ImageBytes.Patch(image, rootRecord + 510, 0x12, 0x34); // end of the first stride no longer carries the USN
        await using var dev2 = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => NtfsFileSystem.OpenAsync(dev2));
        Assert.Contains("update sequence", ex.Message);
    }

    [Fact]
    public async Task AbsurdRecordSize_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var image = NtfsImage.Build(temp, NtfsImage.WindowsTree(temp, "IMAGE_STATE_COMPLETE"));
        ImageBytes.Patch(image, 0x40, 0x7F); // 127 clusters per record
        await using var dev = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => NtfsFileSystem.OpenAsync(dev));
        Assert.Equal(0x40, ex.Offset);
    }
}
