using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;
using Kiln.Storage.Inspection;
using Kiln.Storage.Tests.Fixtures;

namespace Kiln.Storage.Tests.Inspection;

public class RegistryHiveTests
{
    private static Task<RegistryHive> Open(byte[] hive) =>
        RegistryHive.OpenAsync((o, n, _) => Task.FromResult(hive.AsSpan((int)Math.Min(o, hive.Length), (int)Math.Max(0, Math.Min(n, hive.Length - o))).ToArray()), hive.Length);

    [Fact]
    public async Task FindsProductName_ThroughLfLhLiAndRiLists()
    {
        var reg = await Open(HiveBuilder.Software("Windows Server 2022 Datacenter"));
        Assert.Equal("Windows Server 2022 Datacenter", await reg.GetStringAsync(@"Microsoft\Windows NT\CurrentVersion", "ProductName"));
        Assert.Equal("wrong key", await reg.GetStringAsync(@"microsoft\windows\currentversion", "productname"));
        Assert.Null(await reg.GetStringAsync(@"Microsoft\Windows NT\CurrentVersion", "EditionID"));
        Assert.Null(await reg.GetStringAsync(@"Microsoft\Nope", "ProductName"));
    }

    [Fact]
    public async Task BrokenCells_AreCorruptImageErrors()
    {
        var hive = HiveBuilder.Software("x");
        await Assert.ThrowsAsync<CorruptImageException>(() => Open([.. "regX"u8, .. hive.AsSpan(4).ToArray()]));
        var badRoot = (byte[])hive.Clone();
        badRoot[0x24] = 0xF0; badRoot[0x25] = 0xFF; badRoot[0x26] = 0xFF; // root cell far outside
        var reg = await Open(badRoot);
        var ex = await Assert.ThrowsAsync<CorruptImageException>(() => reg.GetStringAsync(@"Microsoft\Windows NT\CurrentVersion", "ProductName"));
        Assert.Equal("registry hive cell", ex.Structure);
    }

    [Theory]
    [InlineData("Windows Server 2025 Datacenter", "26100", null, "Windows Server 2025 Datacenter")]
    [InlineData("Windows 10 Enterprise", "19045", "22H2", "Windows 10 Enterprise 22H2")]
    [InlineData("Windows 10 Pro", "22631", "23H2", "Windows 11 Pro 23H2")] // Windows 11 keeps "Windows 10" in ProductName
    public async Task InspectorReportsTheProduct_FromTheSoftwareHiveOnNtfs(string productName, string build, string? displayVersion, string expected)
    {
        using var temp = new TempDir();
        var tree = NtfsImage.WindowsTree(temp, "IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE");
        File.WriteAllBytes(Path.Combine(tree, "Windows/System32/config/SOFTWARE"), HiveBuilder.Software(productName, build, displayVersion));
        var disk = DiskBuilder.Mbr(temp, 40L << 20, new DiskPart(NtfsImage.Build(temp, tree, "24M"), 24, "7", "0700", Bootable: true));
        await using var image = await DiskImage.OpenAsync(disk);
        var f = await ImageInspector.InspectAsync(image, CancellationToken.None);
        Assert.Equal(OsType.Windows, f.OsType);
        Assert.Equal(expected, f.Distro);
    }
}
