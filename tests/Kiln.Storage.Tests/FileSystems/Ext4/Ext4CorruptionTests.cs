using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems.Ext4;
using Kiln.Storage.Formats;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.FileSystems.Ext4;

public class Ext4CorruptionTests
{
    private static string Build(TempDir temp, params string[] options)
    {
        var tree = Ext4Image.LinuxTree(temp);
        File.WriteAllBytes(Path.Combine(tree, "usr/big.bin"), Ext4Image.Pattern(200_000, 3));
        return Ext4Image.Build(temp, tree, "ext4", "16M", options);
    }

    [Fact]
    public async Task BadSuperblockMagic_NamesTheField()
    {
        using var temp = new TempDir();
        var image = Build(temp);
        ImageBytes.Patch(image, 1024 + 0x38, 0x00, 0x00);
        await using var dev = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => Ext4FileSystem.OpenAsync(dev));
        Assert.Equal("ext superblock", ex.Structure);
        Assert.Equal(1024 + 0x38, ex.Offset);
        Assert.Contains("s_magic", ex.Message);
    }

    [Theory]
    [InlineData("64bit")]
    [InlineData("^64bit")]
    public async Task GroupDescriptorPointingOutsideTheVolume_IsReported(string feature)
    {
        using var temp = new TempDir();
        var image = Build(temp, "-O", feature);
        int blockSize;
        await using (var dev = RawFileDevice.Open(image)) blockSize = (await Ext4FileSystem.OpenAsync(dev)).Superblock.BlockSize;
        long desc0 = blockSize == 1024 ? 2048 : blockSize; // block after the superblock's block
        ImageBytes.Patch(image, desc0 + 0x08, 0xF0, 0xFF, 0xFF, 0x0F);
        await using var dev2 = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => Ext4FileSystem.OpenAsync(dev2));
        Assert.Equal("ext group descriptor", ex.Structure);
        Assert.Equal(desc0 + 0x08, ex.Offset);
        Assert.Contains("bg_inode_table", ex.Message);
    }

    [Fact]
    public async Task BadExtentHeader_IsReportedForThatFileOnly()
    {
        using var temp = new TempDir();
        var image = Build(temp);
        long inodeOffset;
        await using (var dev = RawFileDevice.Open(image))
        {
            var fs = await Ext4FileSystem.OpenAsync(dev);
            var inode = await fs.ReadInodeAsync((uint)(await fs.StatAsync("/usr/big.bin"))!.Id);
            Assert.True(inode.UsesExtents);
            inodeOffset = inode.Offset;
        }
        ImageBytes.Patch(image, inodeOffset + 0x28, 0x0B, 0xAD);
        await using var dev2 = RawFileDevice.Open(image);
        var fs2 = await Ext4FileSystem.OpenAsync(dev2);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => fs2.ReadFileAsync("/usr/big.bin"));
        Assert.Equal("ext4 extent header", ex.Structure);
        Assert.Equal(inodeOffset + 0x28, ex.Offset);
        Assert.NotEmpty(await fs2.ReadFileAsync("/etc/machine-id")); // the rest still reads
    }

    [Fact]
    public async Task ExtentTreeTooDeep_IsReported()
    {
        using var temp = new TempDir();
        var image = Build(temp);
        long inodeOffset;
        await using (var dev = RawFileDevice.Open(image))
        {
            var fs = await Ext4FileSystem.OpenAsync(dev);
            inodeOffset = (await fs.ReadInodeAsync((uint)(await fs.StatAsync("/usr/big.bin"))!.Id)).Offset;
        }
        ImageBytes.Patch(image, inodeOffset + 0x28 + 6, 0x00, 0x40); // eh_depth = 16384
        await using var dev2 = RawFileDevice.Open(image);
        var fs2 = await Ext4FileSystem.OpenAsync(dev2);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => fs2.ReadFileAsync("/usr/big.bin"));
        Assert.Contains("eh_depth", ex.Message);
    }

    [Fact]
    public async Task TruncatedImage_IsReported()
    {
        using var temp = new TempDir();
        var image = Build(temp);
        using (var f = new FileStream(image, FileMode.Open)) f.SetLength(f.Length / 4);
        await using var dev = RawFileDevice.Open(image);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => Ext4FileSystem.OpenAsync(dev));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public async Task RandomGarbage_NeverHangsOrCrashes()
    {
        // Flip bytes all over a real image; every outcome must be a value or a clear I/O error.
        using var temp = new TempDir();
        var image = Build(temp);
        var pristine = File.ReadAllBytes(image);
        var rng = new Random(1234);
        for (int round = 0; round < 30; round++)
        {
            var bytes = (byte[])pristine.Clone();
            for (int i = 0; i < 200; i++) bytes[rng.Next(1024, 256 * 1024)] = (byte)rng.Next(256);
            await using var dev = MemoryBlockDevice.FromBytes(bytes);
            try
            {
                var fs = await Ext4FileSystem.OpenAsync(dev);
                foreach (var path in new[] { "/etc/os-release", "/etc/machine-id", "/usr/big.bin" })
                    if (await fs.ExistsAsync(path)) await fs.ReadFileAsync(path);
                await fs.ListDirectoryAsync("/etc/ssh");
            }
            catch (IOException) { } // CorruptImageException, missing file, symlink loop: all fine
            catch (NotSupportedException) { }
        }
    }
}
