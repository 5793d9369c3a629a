using System.Text;
using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.FileSystems.Ext4;
using Kiln.Storage.Formats;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.FileSystems.Ext4;

public class Ext4FileSystemTests
{
    public static TheoryData<string, string[]> Variants => new()
    {
        { "ext4", [] },
        { "ext4", ["-O", "^64bit"] },
        { "ext4", ["-O", "64bit"] },
        { "ext3", [] },
        { "ext2", ["-b", "1024"] },
        { "ext2", ["-b", "4096"] },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task ReadsFilesDirectoriesAndSymlinks_WrittenByMke2fs(string type, string[] options)
    {
        using var temp = new TempDir();
        var tree = Ext4Image.LinuxTree(temp);
        var big = Ext4Image.Pattern(700_000, 7); // past 12 direct + one indirect block of 1K pointers
        File.WriteAllBytes(Path.Combine(tree, "usr/big.bin"), big);
        File.CreateSymbolicLink(Path.Combine(tree, "etc/long-link"), "/usr/" + string.Join("/", Enumerable.Repeat(".", 40)) + "/big.bin");
        File.CreateSymbolicLink(Path.Combine(tree, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(tree, "loop-b"), "loop-a");
        var image = Ext4Image.Build(temp, tree, type, "16M", options);

        await using var dev = RawFileDevice.Open(image);
        var fs = await Ext4FileSystem.OpenAsync(dev);
        Assert.Equal(type, fs.Type);
        Assert.Equal("kiln-root", fs.Label);

        var osRelease = Encoding.UTF8.GetString(await fs.ReadFileAsync("/etc/os-release"));
        Assert.Contains("PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"", osRelease);
        Assert.Equal("0123456789abcdef0123456789abcdef\n", Encoding.UTF8.GetString(await fs.ReadFileAsync("etc/machine-id")));

        var ssh = (await fs.ListDirectoryAsync("/etc/ssh")).Select(e => e.Name).Order().ToArray();
        Assert.Equal(["ssh_host_ed25519_key", "ssh_host_ed25519_key.pub", "sshd_config"], ssh);

        Assert.Equal(big, await fs.ReadFileAsync("/usr/big.bin"));
        Assert.Equal(big, await fs.ReadFileAsync("/etc/long-link")); // slow symlink (> 60 bytes)
        Assert.Equal(big.AsSpan(123_456, 5000).ToArray(), await fs.ReadFileRangeAsync("/usr/big.bin", 123_456, 5000));

        var stat = await fs.StatAsync("/etc/os-release");
        Assert.Equal(FileSystemEntryKind.File, stat!.Kind);
        Assert.True(await fs.ExistsAsync("/etc/ssh"));
        Assert.False(await fs.ExistsAsync("/etc/nothing"));
        Assert.Null(await fs.StatAsync("/etc/nothing/deeper"));
        Assert.Equal("../usr/lib/os-release", await fs.ReadLinkAsync("/etc/os-release"));
        var loop = await Assert.ThrowsAsync<IOException>(() => fs.ReadFileAsync("/loop-a"));
        Assert.Contains("symbolic links", loop.Message);
        await Assert.ThrowsAsync<FileNotFoundException>(() => fs.ReadFileAsync("/etc/absent"));
    }

    [Fact]
    public async Task LargeDirectory_HashTreeIndexed_ListsEveryEntry()
    {
        using var temp = new TempDir();
        var tree = Path.Combine(temp.Path, "t");
        Directory.CreateDirectory(Path.Combine(tree, "many"));
        for (int i = 0; i < 600; i++) File.WriteAllText(Path.Combine(tree, "many", $"file-with-a-longish-name-{i:D4}"), i.ToString());
        var image = Ext4Image.Build(temp, tree, "ext4", "16M", "-b", "1024");

        await using var dev = RawFileDevice.Open(image);
        var fs = await Ext4FileSystem.OpenAsync(dev);
        var names = (await fs.ListDirectoryAsync("/many")).Select(e => e.Name).ToHashSet();
        Assert.Equal(600, names.Count);
        Assert.Equal("599", Encoding.UTF8.GetString(await fs.ReadFileAsync("/many/file-with-a-longish-name-0599")));
    }

    [Theory]
    [InlineData("^64bit")]
    [InlineData("64bit")]
    public async Task MetaBlockGroups_SpreadDescriptors_AndStillRead(string bits)
    {
        // 1 KiB blocks, 1024-block groups and 16 inodes per group: 64 groups whose descriptors span
        // several meta groups, and 700 files whose inodes reach past the first meta group.
        using var temp = new TempDir();
        var tree = Path.Combine(temp.Path, "t");
        var expected = new Dictionary<string, byte[]>();
        for (int d = 0; d < 40; d++)
        {
            Directory.CreateDirectory(Path.Combine(tree, $"dir{d:D2}"));
            for (int f = 0; f < 17; f++)
            {
                var content = Ext4Image.Pattern(100 + d * 37 + f, d * 100 + f);
                File.WriteAllBytes(Path.Combine(tree, $"dir{d:D2}", $"file{f}"), content);
                expected[$"/dir{d:D2}/file{f}"] = content;
            }
        }
        var image = Ext4Image.Build(temp, tree, "ext4", "64M", "-b", "1024", "-g", "1024", "-N", "1024", "-O", $"meta_bg,^resize_inode,{bits}");

        await using var dev = RawFileDevice.Open(image);
        var fs = await Ext4FileSystem.OpenAsync(dev);
        Assert.NotEqual(0u, fs.Superblock.FeatureIncompat & Ext4Superblock.IncompatMetaBg);
        Assert.True(fs.Superblock.GroupCount > fs.Superblock.BlockSize / fs.Superblock.DescriptorSize);
        long highest = 0;
        foreach (var (path, content) in expected.Where(e => string.CompareOrdinal(e.Key, "/dir30") >= 0)) // the last dirs hold the highest inodes
        {
            Assert.Equal(content, await fs.ReadFileAsync(path));
            var ino = (await fs.StatAsync(path))!.Id;
            highest = Math.Max(highest, (ino - 1) / fs.Superblock.InodesPerGroup);
        }
        Assert.True(highest >= fs.Superblock.BlockSize / fs.Superblock.DescriptorSize, $"no inode beyond the first meta group (highest group {highest})");
    }
}
