using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.Formats;
using Kiln.Storage.Partitions;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.Partitions;

public class PartitionTableTests
{
    private const long MiB = 1 << 20;

    private static string MbrDisk(TempDir temp)
    {
        var disk = temp.File("mbr.img");
        ImageBytes.CreateSparse(disk, 64 * MiB);
        Tool.RunWithInput("sfdisk", """
            label: dos
            label-id: 0x1234abcd
            start=2048, size=16384, type=83, bootable
            start=18432, size=16384, type=7
            start=34816, size=65536, type=5
            start=36864, size=8192, type=82
            start=47104, size=8192, type=83
            """, "-q", disk);
        return disk;
    }

    [Fact]
    public async Task Mbr_FromSfdisk_WithActiveFlagTypesAndLogicalPartitions()
    {
        using var temp = new TempDir();
        var disk = MbrDisk(temp);
        ImageBytes.Patch(disk, 0, 0xEB, 0x63, 0x90); // a jump, as a BIOS loader's boot code starts
        await using var dev = RawFileDevice.Open(disk);
        var table = await PartitionTable.ReadAsync(dev);

        Assert.Equal(PartitionScheme.Mbr, table.Scheme);
        Assert.Empty(table.Warnings);
        Assert.Equal(0x1234abcdu, table.Mbr!.DiskSignature);
        Assert.True(table.Mbr.HasBootCode);
        Assert.Equal([1, 2, 5, 6], table.Partitions.Select(p => p.Index));
        var p1 = table.Partitions[0];
        Assert.Equal((2048 * 512L, 16384 * 512L, (byte)0x83, true), (p1.Offset, p1.Length, p1.MbrType!.Value, p1.Bootable));
        Assert.False(table.Partitions[1].Bootable);
        Assert.Equal((byte)0x07, table.Partitions[1].MbrType!.Value);
        Assert.Equal((36864 * 512L, (byte)0x82), (table.Partitions[2].Offset, table.Partitions[2].MbrType!.Value));
        Assert.Equal((47104 * 512L, (byte)0x83), (table.Partitions[3].Offset, table.Partitions[3].MbrType!.Value));
    }

    [Fact]
    public async Task Mbr_TruncatedDisk_ClipsThePartition_WithAWarning_OrRefusesOneThatStartsBeyondTheEnd()
    {
        using var temp = new TempDir();
        var disk = temp.File("short.img");
        ImageBytes.CreateSparse(disk, 64 * MiB);
        Tool.RunWithInput("sfdisk", "label: dos\nstart=2048, size=16384, type=83\nstart=18432, size=100000, type=83\n", "-q", disk);
        using (var f = new FileStream(disk, FileMode.Open)) f.SetLength(20 * MiB); // partition 2 now runs past the end
        await using (var dev = RawFileDevice.Open(disk))
        {
            var table = await PartitionTable.ReadAsync(dev);
            Assert.Equal(20 * MiB - 18432 * 512L, table.Partitions[1].Length);
            Assert.Contains("clipped", Assert.Single(table.Warnings));
        }
        using (var f = new FileStream(disk, FileMode.Open)) f.SetLength(8 * MiB + 512); // partition 2 starts beyond it
        await using var dev2 = RawFileDevice.Open(disk);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => PartitionTable.ReadAsync(dev2));
        Assert.Contains("beyond the end of the disk", ex.Message);
    }

    [Fact]
    public async Task Mbr_EbrChainLoop_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var disk = MbrDisk(temp);
        // The first EBR (LBA 34816) links its "next" entry back to itself (relative LBA 0).
        long ebr = 34816 * 512L;
        ImageBytes.Patch(disk, ebr + 462, 0x00, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x20, 0, 0);
        await using var dev = RawFileDevice.Open(disk);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => PartitionTable.ReadAsync(dev));
        Assert.Contains("loops", ex.Message);
    }

    private static string GptDisk(TempDir temp)
    {
        var disk = temp.File("gpt.img");
        ImageBytes.CreateSparse(disk, 64 * MiB);
        Tool.Run("sgdisk", "-n", "1:2048:+8M", "-t", "1:ef00", "-c", "1:EFI system",
            "-n", "2:0:+4M", "-t", "2:ef02", "-c", "2:bios", "-A", "2:set:2",
            "-n", "3:0:0", "-t", "3:8300", "-c", "3:root", disk);
        return disk;
    }

    [Fact]
    public async Task Gpt_FromSgdisk_ReadsEntriesNamesAndFlags()
    {
        using var temp = new TempDir();
        var disk = GptDisk(temp);
        var info = Tool.Run("sgdisk", "-i", "3", disk);
        await using var dev = RawFileDevice.Open(disk);
        var table = await PartitionTable.ReadAsync(dev);

        Assert.Equal(PartitionScheme.Gpt, table.Scheme);
        Assert.Empty(table.Warnings);
        Assert.True(table.Mbr!.IsProtective);
        Assert.Equal(3, table.Partitions.Count);
        var esp = table.Partitions[0];
        Assert.True(esp.IsEfiSystemPartition);
        Assert.Equal("EFI system", esp.Name);
        Assert.Equal((2048 * 512L, 8 * MiB), (esp.Offset, esp.Length));
        Assert.True(table.Partitions[1].Bootable);
        Assert.Equal(Partition.BiosBootType, table.Partitions[1].TypeGuid);
        var root = table.Partitions[2];
        Assert.Equal(Partition.LinuxFileSystemType, root.TypeGuid);
        Assert.Contains(root.UniqueGuid!.Value.ToString().ToUpperInvariant(), info);
        Assert.Equal("root", root.Name);
    }

    [Theory]
    [InlineData(512 + 16, "HeaderCRC32")]             // primary header CRC
    [InlineData(512, "signature")]                     // primary header magic
    [InlineData(1024 + 40, "PartitionEntryArrayCRC32")] // a byte inside the primary entry array
    public async Task Gpt_BadPrimary_ReadsTheBackup_AndSaysSo(long offset, string expected)
    {
        using var temp = new TempDir();
        var disk = GptDisk(temp);
        ImageBytes.Patch(disk, offset, (byte)(ImageBytes.Read(disk, offset, 1)[0] ^ 0x5A));
        await using var dev = RawFileDevice.Open(disk);
        var table = await PartitionTable.ReadAsync(dev);

        Assert.Equal(PartitionScheme.Gpt, table.Scheme);
        Assert.Equal(3, table.Partitions.Count);
        Assert.Equal("root", table.Partitions[2].Name);
        var warning = Assert.Single(table.Warnings);
        Assert.Contains("backup", warning);
        Assert.Contains(expected, warning);
    }

    [Fact]
    public async Task Gpt_BothHeadersBad_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var disk = GptDisk(temp);
        ImageBytes.Patch(disk, 512 + 16, 0xDE, 0xAD);
        ImageBytes.Patch(disk, 64 * MiB - 512 + 16, 0xDE, 0xAD);
        await using var dev = RawFileDevice.Open(disk);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => PartitionTable.ReadAsync(dev));
        Assert.Equal("GPT", ex.Structure);
        Assert.Contains("HeaderCRC32", ex.Message);
    }

    [Fact]
    public async Task Gpt_BadBackup_ReadsThePrimary_WithAWarning()
    {
        using var temp = new TempDir();
        var disk = GptDisk(temp);
        ImageBytes.Patch(disk, 64 * MiB - 512 + 16, 0xDE, 0xAD);
        await using var dev = RawFileDevice.Open(disk);
        var table = await PartitionTable.ReadAsync(dev);
        Assert.Equal(3, table.Partitions.Count);
        Assert.Contains("backup GPT header", Assert.Single(table.Warnings));
    }

    [Fact]
    public async Task WholeDiskFileSystems_HaveNoPartitionTable()
    {
        using var temp = new TempDir();
        var fat = FatImage.Build(temp, 16);
        var ext = Ext4Image.Build(temp, Ext4Image.LinuxTree(temp), "ext4");
        foreach (var image in new[] { fat, ext })
        {
            await using var dev = RawFileDevice.Open(image);
            Assert.Equal(PartitionScheme.None, (await PartitionTable.ReadAsync(dev)).Scheme);
        }
    }

    [Fact]
    public async Task PartitionDevice_ShowsTheVolume_AndRefusesWrites()
    {
        using var temp = new TempDir();
        var disk = MbrDisk(temp);
        var volume = Ext4Image.Build(temp, Ext4Image.LinuxTree(temp), "ext4", "8M");
        ImageBytes.CopyInto(volume, disk, 2048 * 512L);
        await using var dev = RawFileDevice.Open(disk, writable: true);
        var table = await PartitionTable.ReadAsync(dev);
        await using var part = PartitionTable.Open(dev, table.Partitions[0]);
        Assert.False(part.CanWrite);
        Assert.Equal(16384 * 512L, part.Length);
        await Assert.ThrowsAsync<BlockDeviceReadOnlyException>(async () => await part.WriteAsync(0, new byte[512]));
        await Assert.ThrowsAsync<BlockDeviceException>(async () => await part.ReadAsync(part.Length - 100, new byte[512]));
        var fs = await FileSystemProbe.OpenAsync(part);
        Assert.Equal("ext4", fs!.Type);
        Assert.True(await fs.ExistsAsync("/etc/machine-id"));
        Assert.Null(await FileSystemProbe.OpenAsync(PartitionTable.Open(dev, table.Partitions[1])));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }
}
