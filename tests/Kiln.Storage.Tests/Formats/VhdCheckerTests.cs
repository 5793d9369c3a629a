using System.Buffers.Binary;
using Kiln.Storage.Formats;

namespace Kiln.Storage.Tests.Formats;

public class VhdCheckerTests
{
    [Theory]
    [InlineData("subformat=dynamic")]
    [InlineData("subformat=fixed,force_size=on")]
    public async Task QemuWrittenVhds_AreConsistent(string options)
    {
        using var dir = new TempDirectory();
        var raw = await SampleImage.CreateAsync(dir.File("src.raw"));
        var vhd = dir.File("q.vhd");
        await QemuImg.MustRunAsync("convert", "-f", "raw", "-O", "vpc", "-o", options, raw, vhd);
        Assert.Empty(await VhdChecker.CheckAsync(vhd));
    }

    [Fact]
    public async Task OverlappingBlocks_AndFooterCopyMismatch_AreReported()
    {
        using var dir = new TempDirectory();
        var vhd = dir.File("d.vhd");
        await VhdWriter.CreateDynamicAsync(vhd, 8 * SampleImage.MiB);
        await using (var image = await DiskImage.OpenAsync(vhd, writable: true))
        {
            await image.Device.WriteAsync(0, new byte[] { 1 });
            await image.Device.WriteAsync(2 * SampleImage.MiB, new byte[] { 2 });
        }
        Assert.Empty(await VhdChecker.CheckAsync(vhd));

        await using (var file = new FileStream(vhd, FileMode.Open, FileAccess.ReadWrite))
        {
            // BAT entry 1 → the sector after block 0's bitmap: inside block 0.
            var entry = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(entry, 2048 / 512 + 1);
            file.Position = 1536 + 4;
            file.Write(entry);
            // Change the creator version in the copy only and fix its checksum, so it still parses.
            var copy = new byte[512];
            file.Position = 0;
            file.ReadExactly(copy);
            copy[35] ^= 1;
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(64), VhdFooter.ComputeChecksum(copy));
            file.Position = 0;
            file.Write(copy);
        }
        var problems = await VhdChecker.CheckAsync(vhd);
        Assert.Contains(problems, p => p.Contains("overlaps block"));
        Assert.Contains(problems, p => p.Contains("copy at offset 0 differs"));
    }
}
