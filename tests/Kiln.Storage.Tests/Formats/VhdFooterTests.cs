using System.Buffers.Binary;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

public class VhdFooterTests
{
    [Theory]
    [InlineData(6 * 1024 * 1024 + 320 * 1024)]
    [InlineData(100L * 1024 * 1024)]
    [InlineData(1024L * 1024 * 1024 + 512)]
    [InlineData(40L * 1024 * 1024 * 1024)]
    [InlineData(127L * 1024 * 1024 * 1024)]
    public async Task Geometry_MatchesWhatQemuImgComputes(long size)
    {
        // Without force_size qemu-img applies the specification's CHS algorithm to the requested
        // size plus 0, 1, 2... sectors until the geometry covers the request, and stores that.
        using var dir = new TempDirectory();
        var path = dir.File("g.vhd");
        await QemuImg.MustRunAsync("create", "-f", "vpc", "-o", "subformat=dynamic", path, size.ToString());
        var raw = await File.ReadAllBytesAsync(path);
        var footer = VhdFooter.Parse(raw.AsSpan(raw.Length - 512), raw.Length - 512);
        Assert.Equal(footer.Geometry.TotalSectors * 512, footer.CurrentSize);
        var expected = VhdGeometry.FromSize(size);
        for (long extra = 512; expected.TotalSectors * 512 < size && extra < 64L * 1024 * 1024; extra += 512)
            expected = VhdGeometry.FromSize(size + extra);
        Assert.Equal(footer.Geometry, expected);
    }

    [Fact]
    public void Footer_RoundTripsThroughBytes()
    {
        var footer = VhdFooter.Create(5 * 1024 * 1024, VhdDiskType.Dynamic);
        var bytes = footer.ToBytes();
        Assert.Equal(footer, VhdFooter.Parse(bytes, 0));
        Assert.Equal(VhdFooter.ComputeChecksum(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(64)));
    }

    [Theory]
    [InlineData(0, "cookie")]
    [InlineData(50, "checksum")]
    [InlineData(66, "checksum")]
    public void DamagedFooter_IsRefused_NamingTheProblem(int byteToFlip, string expected)
    {
        var bytes = VhdFooter.Create(1024 * 1024, VhdDiskType.Fixed).ToBytes();
        bytes[byteToFlip] ^= 0x5A;
        var e = Assert.Throws<CorruptImageException>(() => VhdFooter.Parse(bytes, 4096));
        Assert.Equal("VHD footer", e.Structure);
        Assert.Equal(4096, e.Offset);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(48, 3L << 40, "current size")]
    [InlineData(48, 1000L, "sectors")]
    [InlineData(60, 4L << 32, "differencing")]
    [InlineData(60, 9L << 32, "disk type")]
    public void AbsurdFieldsWithAValidChecksum_AreRefused(int offset, long value, string expected)
    {
        var bytes = VhdFooter.Create(1024 * 1024, VhdDiskType.Fixed).ToBytes();
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(offset), value);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(64), VhdFooter.ComputeChecksum(bytes));
        var e = Assert.Throws<CorruptImageException>(() => VhdFooter.Parse(bytes, 0));
        Assert.Contains(expected, e.Message);
    }
}
