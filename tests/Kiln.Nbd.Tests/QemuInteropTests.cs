using System.Text.Json;
using Kiln.Storage.Blocks;
using Kiln.Storage.Formats;

namespace Kiln.Nbd.Tests;

/// <summary>The server against real NBD clients (QEMU's block layer through qemu-img and qemu-io).</summary>
public class QemuInteropTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task QemuImgInfo_ReportsTheVirtualSize(bool unix)
    {
        await using var device = new MemoryBlockDevice(3 << 20);
        await using var t = await NbdTestServer.StartAsync([new NbdExport("disk", device)], unix);
        var r = await ExternalTool.RunAsync("qemu-img", "info", "--output=json", t.Server.NbdUri);
        Assert.True(r.ExitCode == 0, r.All);
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(3L << 20, json.RootElement.GetProperty("virtual-size").GetInt64());
    }

    [Fact]
    public async Task QemuImgConvert_FromTheExport_CopiesTheSourceFileBytes()
    {
        var dir = Directory.CreateTempSubdirectory("kiln-nbd-img-").FullName;
        try
        {
            var source = Path.Combine(dir, "source.raw");
            var content = TestData.Pattern((4 << 20) + 4096, seed: 11); // not a multiple of 64 KiB on purpose
            await File.WriteAllBytesAsync(source, content);
            await using var image = await DiskImage.OpenAsync(source);
            await using var t = await NbdTestServer.StartAsync(image.Device, unix: false, readOnly: true);

            var output = Path.Combine(dir, "out.raw");
            // -m 8 -W: eight requests in flight, completed out of order.
            var r = await ExternalTool.RunAsync("qemu-img", "convert", "-m", "8", "-W", "-f", "raw", "-O", "raw", t.Server.NbdUri, output);
            Assert.True(r.ExitCode == 0, r.All);
            Assert.Equal(content, await File.ReadAllBytesAsync(output));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task QemuIoRead_SeesTheDevicePattern_AndCatchesAWrongOne()
    {
        await using var device = new MemoryBlockDevice(1 << 20);
        await device.WriteAsync(65536, Enumerable.Repeat((byte)0xAB, 65536).ToArray());
        await using var t = await NbdTestServer.StartAsync([new NbdExport("disk", device, ReadOnly: true)]);

        var good = await ExternalTool.RunAsync("qemu-io", "-r", "-f", "raw", "-c", "read -P 0xab 64k 64k", t.Server.NbdUri);
        Assert.True(good.ExitCode == 0 && !good.All.Contains("fail", StringComparison.OrdinalIgnoreCase), good.All);
        Assert.Contains("read 65536/65536 bytes", good.Stdout);

        var wrong = await ExternalTool.RunAsync("qemu-io", "-r", "-f", "raw", "-c", "read -P 0xcd 64k 64k", t.Server.NbdUri);
        Assert.Contains("Pattern verification failed", wrong.All);
    }

    [Fact]
    public async Task QemuIoWrite_OnAWritableExport_ReachesTheDevice()
    {
        await using var device = new MemoryBlockDevice(2 << 20);
        await using var t = await NbdTestServer.StartAsync([new NbdExport("rw", device)]);
        var r = await ExternalTool.RunAsync("qemu-io", "-f", "raw", "-c", "write -P 0x5a 1M 128k", "-c", "write -z 1M 4k", "-c", "flush", t.Server.NbdUri);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("wrote 131072/131072 bytes", r.Stdout);
        Assert.All(await device.ReadBytesAsync(1 << 20, 4096), b => Assert.Equal(0, b)); // NBD_CMD_WRITE_ZEROES
        Assert.All(await device.ReadBytesAsync((1 << 20) + 4096, (128 << 10) - 4096), b => Assert.Equal(0x5a, b));
        Assert.All(await device.ReadBytesAsync((1 << 20) - 512, 512), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task QemuIoWrite_OnAReadOnlyExport_IsRefused_AndTheDeviceIsUnchanged()
    {
        var content = TestData.Pattern(1 << 20, seed: 5);
        await using var device = MemoryBlockDevice.FromBytes(content);
        await using var t = await NbdTestServer.StartAsync([new NbdExport("ro", device, ReadOnly: true)]);
        var r = await ExternalTool.RunAsync("qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 64k", t.Server.NbdUri);
        Assert.False(r.ExitCode == 0 && r.Stdout.Contains("wrote"), r.All);
        Assert.Equal(content, await device.ReadBytesAsync(0, content.Length));
    }

    [Fact]
    public async Task QemuImgConvert_IntoAnOverlayExport_WithParallelWrites_LandsInTheOverlayOnly()
    {
        var dir = Directory.CreateTempSubdirectory("kiln-nbd-img-").FullName;
        try
        {
            var source = Path.Combine(dir, "source.raw");
            var content = TestData.Pattern(3 << 20, seed: 21);
            await File.WriteAllBytesAsync(source, content);
            var baseBytes = TestData.Pattern(3 << 20, seed: 22);
            await using var image = MemoryBlockDevice.FromBytes(baseBytes);
            await using var stack = Kiln.Storage.Stack.BlockStack.Over(image, ownsDevice: false).ReadOnly().Overlay(granularity: 65536).Build();
            await using var t = await NbdTestServer.StartAsync(stack);

            var r = await ExternalTool.RunAsync("qemu-img", "convert", "-n", "-m", "8", "-W", "-f", "raw", "-O", "raw", source, t.Server.NbdUri);
            Assert.True(r.ExitCode == 0, r.All);
            Assert.Equal(content, await stack.ReadBytesAsync(0, content.Length));
            Assert.Equal(baseBytes, await image.ReadBytesAsync(0, baseBytes.Length));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
