using System.Buffers.Binary;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

/// <summary>Hand-damaged VHDs must give a CorruptImageException naming the structure (or be rescued, saying so).</summary>
public class VhdCorruptionTests
{
    private const long MiB = SampleImage.MiB;

    /// <summary>A 6 MiB dynamic VHD with data in block 0 and block 2. Layout: footer copy 0, header 512, BAT 1536, blocks from 2048.</summary>
    private static async Task<string> DynamicAsync(TempDirectory dir)
    {
        var path = dir.File("d.vhd");
        await VhdWriter.CreateDynamicAsync(path, 6 * MiB);
        await using var image = await DiskImage.OpenAsync(path, writable: true);
        await image.Device.WriteAsync(0, SampleImage.Bytes(new Random(1), 8192));
        await image.Device.WriteAsync(4 * MiB, SampleImage.Bytes(new Random(2), 8192));
        return path;
    }

    private static void Patch(string path, long offset, Action<byte[]> change, int length = 1024)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var buffer = new byte[length];
        file.Position = offset;
        file.ReadExactly(buffer);
        change(buffer);
        file.Position = offset;
        file.Write(buffer);
    }

    private static async Task<CorruptImageException> OpenFailsAsync(string path)
        => await Assert.ThrowsAsync<CorruptImageException>(async () =>
        {
            await using var image = await DiskImage.OpenAsync(path);
            await SampleImage.ReadAllAsync(image.Device);
        });

    [Fact]
    public async Task FixedFooter_BadChecksum_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f.vhd");
        await VhdWriter.CreateFixedAsync(new MemoryBlockDevice(MiB), path);
        Patch(path, MiB, b => b[45] ^= 1, 512);
        var e = await OpenFailsAsync(path);
        Assert.Equal("VHD footer", e.Structure);
        Assert.Equal(MiB, e.Offset);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public async Task FixedFooter_Overwritten_IsNotAVhd()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f.vhd");
        await VhdWriter.CreateFixedAsync(new MemoryBlockDevice(MiB), path);
        Patch(path, MiB, b => b[0] = (byte)'X', 512);
        var e = await Assert.ThrowsAsync<CorruptImageException>(() => VhdReader.OpenAsync(path));
        Assert.Equal("VHD footer", e.Structure);
        Assert.Contains("not a VHD", e.Message);
        await using var probed = await DiskImage.OpenAsync(path); // no signature left: the probe sees raw
        Assert.Equal("raw", probed.Format);
    }

    [Fact]
    public async Task DynamicTrailingFooter_Damaged_IsRescuedFromTheCopy_AndSaysSo()
    {
        using var dir = new TempDirectory();
        var path = await DynamicAsync(dir);
        long length = new FileInfo(path).Length;
        Patch(path, length - 512, b => b[50] ^= 0xFF, 512);
        await using var image = await DiskImage.OpenAsync(path);
        Assert.Equal("vhd-dynamic", image.Format);
        Assert.Contains(image.Warnings, w => w.Contains("checksum") && w.Contains("copy at offset 0"));
        Assert.Equal(SampleImage.Bytes(new Random(2), 8192), await image.Device.ReadBytesAsync(4 * MiB, 8192));
    }

    [Fact]
    public async Task DynamicHeader_Damaged_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = await DynamicAsync(dir);
        Patch(path, 512, b => b[30] ^= 0x10);
        var e = await OpenFailsAsync(path);
        Assert.Equal("VHD dynamic header", e.Structure);
        Assert.Equal(512, e.Offset);
        Assert.Contains("checksum", e.Message);
    }

    [Theory]
    [InlineData(32, 3u * 1024 * 1024, "power of two")]
    [InlineData(28, 1u, "max table entries")]
    [InlineData(20, 0x7FFF_0000u, "outside")]
    public async Task DynamicHeader_AbsurdFields_AreRefused(int field, uint value, string expected)
    {
        using var dir = new TempDirectory();
        var path = await DynamicAsync(dir);
        Patch(path, 512, b =>
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(field), value);
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(36), VhdDynamicHeader.ComputeChecksum(b));
        });
        var e = await OpenFailsAsync(path);
        Assert.Equal("VHD dynamic header", e.Structure);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(0x7FFF_FFF0u)] // far past the end of the file
    [InlineData(1u)]           // on top of the dynamic header
    public async Task BatEntry_OutsideTheFile_IsRefused(uint sector)
    {
        using var dir = new TempDirectory();
        var path = await DynamicAsync(dir);
        Patch(path, 1536 + 4, b => BinaryPrimitives.WriteUInt32BigEndian(b, sector), 4);
        var e = await OpenFailsAsync(path);
        Assert.Equal("VHD block allocation table", e.Structure);
        Assert.Equal(1536 + 4, e.Offset);
    }

    [Fact]
    public async Task TruncatedFixedVhd_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.vhd");
        await VhdWriter.CreateFixedAsync(new MemoryBlockDevice(2 * MiB), path);
        var footer = File.ReadAllBytes(path)[^512..];
        await using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(MiB);
            f.Position = MiB;
            f.Write(footer);
        }
        var e = await OpenFailsAsync(path);
        Assert.Contains("truncated", e.Message);
    }
}
