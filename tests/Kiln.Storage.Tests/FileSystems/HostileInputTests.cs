using Kiln.Storage.Blocks;
using Kiln.Storage.FileSystems;
using Kiln.Storage.Inspection;
using Kiln.Storage.Partitions;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.FileSystems;

/// <summary>
/// Real images with random bytes flipped in their metadata: every outcome must be a result or an
/// IOException/NotSupportedException (CorruptImageException is one) — never a hang, an index
/// error or a crash. Seeds are fixed so a failure reproduces.
/// </summary>
public class HostileInputTests
{
    private static async Task Exercise(IFileSystem fs, string[] files, string[] dirs)
    {
        foreach (var d in dirs)
            if (await fs.StatAsync(d) is { IsDirectory: true }) await fs.ListDirectoryAsync(d);
        foreach (var f in files)
            if (await fs.StatAsync(f) is { Kind: FileSystemEntryKind.File }) await fs.ReadFileAsync(f);
    }

    private static async Task Fuzz(byte[] pristine, int from, int to, int rounds, int flips, Func<IBlockDevice, Task> body)
    {
        var rng = new Random(from ^ to ^ pristine.Length);
        // KILN_FUZZ_SCALE=50 (say) runs a deeper search by hand; the suite keeps the default small.
        if (int.TryParse(Environment.GetEnvironmentVariable("KILN_FUZZ_SCALE"), out int scale) && scale > 1) rounds *= scale;
        for (int round = 0; round < rounds; round++)
        {
            var bytes = (byte[])pristine.Clone();
            for (int i = 0; i < flips; i++) bytes[rng.Next(from, Math.Min(to, bytes.Length))] = (byte)rng.Next(256);
            await using var dev = MemoryBlockDevice.FromBytes(bytes);
            try
            {
                await body(dev);
            }
            catch (IOException) { }
            catch (NotSupportedException) { }
        }
    }

    [Fact]
    public async Task Fat_RandomFlips_NeverCrash()
    {
        using var temp = new TempDir();
        var image = FatImage.Build(temp, 16);
        FatImage.MakeDirectory(image, "/EFI");
        FatImage.MakeDirectory(image, "/EFI/BOOT");
        FatImage.Copy(temp, image, Ext4Image.Pattern(40_000, 2), "/EFI/BOOT/BOOTX64.EFI");
        for (int i = 0; i < 20; i++) FatImage.Copy(temp, image, [1, 2, 3], $"/EFI/a long name {i}.txt");
        var bytes = File.ReadAllBytes(image);
        await Fuzz(bytes, 0, 160 * 1024, 60, 40, async dev =>
        {
            var fs = await FileSystemProbe.OpenAsync(dev);
            if (fs is not null) await Exercise(fs, [@"\EFI\BOOT\BOOTX64.EFI", "/EFI/a long name 3.txt"], ["/", "/EFI", "/EFI/BOOT"]);
        });
    }

    [Fact]
    public async Task Ntfs_RandomFlips_NeverCrash()
    {
        using var temp = new TempDir();
        var tree = NtfsImage.WindowsTree(temp, "IMAGE_STATE_COMPLETE");
        for (int i = 0; i < 200; i++) File.WriteAllText(Path.Combine(tree, "Windows/System32", $"file-{i:D3}.dll"), "x");
        File.WriteAllBytes(Path.Combine(tree, "Windows/big.bin"), Ext4Image.Pattern(100_000, 4));
        var image = NtfsImage.Build(temp, tree, "16M");
        var bytes = File.ReadAllBytes(image);
        var bs = Kiln.Storage.FileSystems.Ntfs.NtfsBootSector.Parse(bytes.AsSpan(0, 512), bytes.Length);
        int mft = (int)(bs.MftLcn * bs.ClusterSize);
        // Flip inside the first 64 MFT records, where the system files and our tree live.
        await Fuzz(bytes, mft, mft + 64 * bs.MftRecordSize, 60, 30, async dev =>
        {
            var fs = await FileSystemProbe.OpenAsync(dev);
            if (fs is not null) await Exercise(fs, [@"\Windows\Setup\State\State.ini", @"\Windows\big.bin"], ["/", @"\Windows", @"\Windows\System32"]);
        });
    }

    [Fact]
    public async Task PartitionTablesAndInspection_RandomFlips_NeverCrash()
    {
        using var temp = new TempDir();
        var disk = temp.File("gpt.img");
        ImageBytes.CreateSparse(disk, 8 << 20);
        Tool.Run("sgdisk", "-n", "1:2048:+2M", "-t", "1:ef00", "-n", "2:0:0", "-t", "2:8300", disk);
        var bytes = File.ReadAllBytes(disk);
        await Fuzz(bytes, 0, 34 * 512, 200, 6, async dev =>
        {
            var table = await PartitionTable.ReadAsync(dev);
            foreach (var p in table.Partitions) await using (var part = PartitionTable.Open(dev, p)) await FileSystemProbe.OpenAsync(part);
            await ImageInspector.InspectAsync(dev, "raw");
        });
    }
}
