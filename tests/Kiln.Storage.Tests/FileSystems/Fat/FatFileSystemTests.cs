using System.Text;
using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems.Fat;
using Kiln.Storage.Formats;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.FileSystems.Fat;

public class FatFileSystemTests
{
    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public async Task ReadsEspFilesWithLongNames_WrittenByMtools(int bits)
    {
        using var temp = new TempDir();
        var image = FatImage.Build(temp, bits);
        FatImage.MakeDirectory(image, "/EFI");
        FatImage.MakeDirectory(image, "/EFI/BOOT");
        var loader = Ext4Image.Pattern(300_000, bits);
        FatImage.Copy(temp, image, loader, "/EFI/BOOT/BOOTX64.EFI");
        FatImage.Copy(temp, image, "hello"u8.ToArray(), "/A Long File Name, with spaces.txt");
        FatImage.Copy(temp, image, "lower"u8.ToArray(), "/readme.txt");
        for (int i = 0; i < 40; i++) // enough entries to need a second directory cluster
            FatImage.Copy(temp, image, Encoding.ASCII.GetBytes($"n{i}"), $"/EFI/entry number {i:D3} with a long name.conf");

        await using var dev = RawFileDevice.Open(image);
        var fs = await FatFileSystem.OpenAsync(dev);
        Assert.Equal($"fat{bits}", fs.Type);
        Assert.Equal("KILNESP", fs.Label);
        Assert.Equal(loader, await fs.ReadFileAsync(@"\EFI\BOOT\BOOTX64.EFI"));
        Assert.Equal(loader, await fs.ReadFileAsync("/efi/boot/bootx64.efi")); // case-insensitive
        Assert.Equal("hello", Encoding.ASCII.GetString(await fs.ReadFileAsync("/A Long File Name, with spaces.txt")));
        var root = (await fs.ListDirectoryAsync("/")).Select(e => e.Name).Order().ToArray();
        Assert.Equal(["A Long File Name, with spaces.txt", "EFI", "readme.txt"], root);
        var efi = await fs.ListDirectoryAsync("/EFI");
        Assert.Equal(41, efi.Count);
        Assert.Equal("n39", Encoding.ASCII.GetString(await fs.ReadFileAsync("/EFI/entry number 039 with a long name.conf")));
        Assert.Equal(loader.AsSpan(5000, 100).ToArray(), await fs.ReadFileRangeAsync("/EFI/BOOT/BOOTX64.EFI", 5000, 100));
        Assert.False(await fs.ExistsAsync("/EFI/BOOT/BOOTAA64.EFI"));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public async Task ClusterChainLoop_IsACorruptImageError(int bits)
    {
        using var temp = new TempDir();
        var image = FatImage.Build(temp, bits);
        FatImage.Copy(temp, image, Ext4Image.Pattern(100_000, 1), "/big.bin");
        uint first;
        FatBootSector bs;
        await using (var dev = RawFileDevice.Open(image))
        {
            var fs = await FatFileSystem.OpenAsync(dev);
            first = (uint)(await fs.StatAsync("/big.bin"))!.Id;
            bs = fs.BootSector;
        }
        // Point the second cluster of the file back at the first: a loop.
        long fatStart = (long)bs.ReservedSectors * bs.BytesPerSector;
        uint second = first + 1; // mcopy allocates a fresh file contiguously
        switch (bits)
        {
            case 12:
                long o = fatStart + second + second / 2;
                var two = ImageBytes.Read(image, o, 2);
                uint v = (uint)(two[0] | two[1] << 8);
                v = (second & 1) != 0 ? (v & 0x000Fu) | (first << 4) : (v & 0xF000u) | first;
                ImageBytes.Patch(image, o, (byte)v, (byte)(v >> 8));
                break;
            case 16:
                ImageBytes.Patch(image, fatStart + second * 2, (byte)first, (byte)(first >> 8));
                break;
            default:
                ImageBytes.Patch(image, fatStart + second * 4, (byte)first, (byte)(first >> 8), (byte)(first >> 16), 0);
                break;
        }
        await using var dev2 = RawFileDevice.Open(image);
        var fs2 = await FatFileSystem.OpenAsync(dev2);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => fs2.ReadFileAsync("/big.bin"));
        Assert.Equal("FAT cluster chain", ex.Structure);
        Assert.Contains("loops", ex.Message);
    }

    [Fact]
    public async Task BadBytesPerSector_IsACorruptImageError_NamingTheField()
    {
        using var temp = new TempDir();
        var image = FatImage.Build(temp, 16);
        ImageBytes.Patch(image, 0x0B, 0x00, 0x03); // 768
        await using var dev = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => FatFileSystem.OpenAsync(dev));
        Assert.Contains("BPB_BytsPerSec", ex.Message);
        Assert.Equal(0x0B, ex.Offset);
    }

    [Fact]
    public async Task TruncatedVolume_IsACorruptImageError()
    {
        using var temp = new TempDir();
        var image = FatImage.Build(temp, 16);
        using (var f = new FileStream(image, FileMode.Open)) f.SetLength(f.Length / 2);
        await using var dev = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => FatFileSystem.OpenAsync(dev));
        Assert.Contains("truncated", ex.Message);
    }
}
