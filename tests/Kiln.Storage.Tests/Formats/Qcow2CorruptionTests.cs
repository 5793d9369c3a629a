using System.Buffers.Binary;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

/// <summary>Hand-damaged and unsupported qcow2 images must be refused with the structure named.</summary>
public class Qcow2CorruptionTests
{
    private static async Task<(string Path, Qcow2Header Header)> ConvertAsync(TempDirectory dir, bool compress = false)
    {
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var path = dir.File("q.qcow2");
        var args = new List<string> { "convert", "-f", "raw", "-O", "qcow2", "-o", "compat=1.1" };
        if (compress) args.Add("-c");
        args.AddRange([raw, path]);
        await QemuImg.MustRunAsync([.. args]);
        await using var device = await Qcow2Device.OpenAsync(path);
        return (path, device.Header);
    }

    private static void Patch(string path, long offset, Action<byte[]> change, int length = 8)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var buffer = new byte[length];
        file.Position = offset;
        file.ReadExactly(buffer);
        change(buffer);
        file.Position = offset;
        file.Write(buffer);
    }

    private static ulong ReadU64(string path, long offset)
    {
        using var file = File.OpenRead(path);
        var b = new byte[8];
        file.Position = offset;
        file.ReadExactly(b);
        return BinaryPrimitives.ReadUInt64BigEndian(b);
    }

    private static async Task<CorruptImageException> ReadFailsAsync(string path)
        => await Assert.ThrowsAsync<CorruptImageException>(async () =>
        {
            await using var image = await DiskImage.OpenAsync(path);
            await SampleImage.ReadAllAsync(image.Device);
        });

    [Theory]
    [InlineData(20, 30u, "cluster bits")]
    [InlineData(4, 7u, "version")]
    [InlineData(36, 0u, "L1 size")]
    [InlineData(72, 0x100u, "unknown incompatible")]
    [InlineData(76, 4u, "external data file")]
    public async Task HeaderFields_AreChecked(int offset, uint value, string expected)
    {
        using var dir = new TempDirectory();
        var (path, _) = await ConvertAsync(dir);
        Patch(path, offset, b => BinaryPrimitives.WriteUInt32BigEndian(b, value), 4);
        var e = await ReadFailsAsync(path);
        Assert.Equal("qcow2 header", e.Structure);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task BackingFile_IsRefusedWithTheFix()
    {
        using var dir = new TempDirectory();
        var (path, _) = await ConvertAsync(dir);
        var overlay = dir.File("overlay.qcow2");
        await QemuImg.MustRunAsync("create", "-f", "qcow2", "-b", path, "-F", "qcow2", overlay);
        var e = await ReadFailsAsync(overlay);
        Assert.Contains("qcow2 backing files are not supported: flatten with qemu-img convert first", e.Message);
        Assert.Contains("q.qcow2", e.Message);
    }

    [Fact]
    public async Task L1Entry_PointingOutsideTheFile_IsRefused()
    {
        using var dir = new TempDirectory();
        var (path, header) = await ConvertAsync(dir);
        long beyond = (new FileInfo(path).Length / header.ClusterSize + 10) * header.ClusterSize;
        Patch(path, header.L1TableOffset, b => BinaryPrimitives.WriteUInt64BigEndian(b, (1UL << 63) | (ulong)beyond));
        var e = await ReadFailsAsync(path);
        Assert.Equal("qcow2 L1 table", e.Structure);
        Assert.Equal(header.L1TableOffset, e.Offset);
    }

    [Theory]
    [InlineData(0x200UL, "not cluster aligned")]
    [InlineData(0x00F0_0000_0000_0000UL, "outside")]
    public async Task L2Entry_Damaged_IsRefused(ulong bad, string expected)
    {
        using var dir = new TempDirectory();
        var (path, header) = await ConvertAsync(dir);
        long l2 = (long)(ReadU64(path, header.L1TableOffset) & 0x00FF_FFFF_FFFF_FE00);
        Patch(path, l2, b => BinaryPrimitives.WriteUInt64BigEndian(b, (1UL << 63) | bad));
        var e = await ReadFailsAsync(path);
        Assert.Equal("qcow2 L2 table", e.Structure);
        Assert.Equal(l2, e.Offset);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task CompressedCluster_Damaged_IsRefused()
    {
        using var dir = new TempDirectory();
        var (path, header) = await ConvertAsync(dir, compress: true);
        long l2 = (long)(ReadU64(path, header.L1TableOffset) & 0x00FF_FFFF_FFFF_FE00);
        // The compressible text at 8 MiB is stored compressed; find its L2 entry.
        ulong entry = ReadU64(path, l2 + 8 * (8 * SampleImage.MiB / header.ClusterSize));
        Assert.True((entry & (1UL << 62)) != 0, "qemu-img -c should have compressed the cluster at 8 MiB");
        int x = 62 - (header.ClusterBits - 8);
        long host = (long)(entry & ((1UL << x) - 1));
        Patch(path, host, b => b.AsSpan().Fill(0xFF), 64);
        var e = await ReadFailsAsync(path);
        Assert.Equal("qcow2 compressed cluster", e.Structure);
        Assert.Equal(host, e.Offset);
    }

    [Fact]
    public async Task WritableOpen_IsRefused()
    {
        using var dir = new TempDirectory();
        var (path, _) = await ConvertAsync(dir);
        await Assert.ThrowsAsync<BlockDeviceException>(() => DiskImage.OpenAsync(path, writable: true));
    }
}
