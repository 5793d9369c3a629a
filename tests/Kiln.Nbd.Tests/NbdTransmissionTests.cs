using Kiln.Storage.Blocks;
using static Kiln.Nbd.Tests.TestNbdClient;

namespace Kiln.Nbd.Tests;

public class NbdTransmissionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_ThenRead_RoundTrips_AndReachesTheDevice(bool unix)
    {
        await using var device = new MemoryBlockDevice(1 << 20);
        await using var t = await NbdTestServer.StartAsync(device, unix);
        var (c, size, _) = await OpenAsync(t.Server);
        await using var _c = c;
        Assert.Equal(1UL << 20, size);

        var data = TestData.Pattern(10_000, seed: 7);
        Assert.Equal(0u, await c.CommandAsync(CmdWrite, 5000, (uint)data.Length, data));
        Assert.Equal(0u, await c.CommandAsync(CmdFlush, 0, 0));
        var (error, back) = await c.ReadAsync(5000, (uint)data.Length);
        Assert.Equal(0u, error);
        Assert.Equal(data, back);
        Assert.Equal(data, await device.ReadBytesAsync(5000, data.Length));
    }

    [Fact]
    public async Task WriteZeroes_And_Fua_Work()
    {
        await using var device = MemoryBlockDevice.FromBytes(TestData.Pattern(1 << 18));
        await using var t = await NbdTestServer.StartAsync(device);
        var (c, _, _) = await OpenAsync(t.Server);
        await using var _c = c;
        Assert.Equal(0u, await c.CommandAsync(CmdWriteZeroes, 4096, 8192));
        Assert.All(await device.ReadBytesAsync(4096, 8192), b => Assert.Equal(0, b));
        Assert.Equal(0u, await c.CommandAsync(CmdWrite, 0, 3, [9, 9, 9], flags: 1));
        Assert.Equal(0u, await c.CommandAsync(CmdTrim, 0, 65536));
    }

    [Fact]
    public async Task ReadOnlyExport_RefusesWritesTrimsAndZeroes_WithEPerm_AndKeepsTheDevice()
    {
        var original = TestData.Pattern(65536);
        await using var device = MemoryBlockDevice.FromBytes(original);
        await using var t = await NbdTestServer.StartAsync(device, readOnly: true);
        var (c, _, flags) = await OpenAsync(t.Server);
        await using var _c = c;
        Assert.NotEqual(0, flags & 2);
        Assert.Equal(EPerm, await c.CommandAsync(CmdWrite, 0, 4, [1, 2, 3, 4]));
        Assert.Equal(EPerm, await c.CommandAsync(CmdTrim, 0, 4096));
        Assert.Equal(EPerm, await c.CommandAsync(CmdWriteZeroes, 0, 4096));
        Assert.Equal(0u, await c.CommandAsync(CmdFlush, 0, 0));
        Assert.Equal(original, await device.ReadBytesAsync(0, original.Length));
    }

    [Fact]
    public async Task OutOfRange_Oversized_AndUnknownCommands_GetErrors_AndTheConnectionLivesOn()
    {
        await using var device = MemoryBlockDevice.FromBytes(TestData.Pattern(65536));
        await using var t = await NbdTestServer.StartAsync(device);
        var (c, _, _) = await OpenAsync(t.Server);
        await using var _c = c;
        Assert.Equal(EInval, (await c.ReadAsync(65536 - 100, 512)).Error);
        Assert.Equal(EInval, (await c.ReadAsync(ulong.MaxValue - 10, 512)).Error);
        Assert.Equal(EInval, (await c.ReadAsync(0, 64u << 20)).Error);
        Assert.Equal(ENoSpc, await c.CommandAsync(CmdWrite, 65536 - 2, 4, [1, 2, 3, 4]));
        Assert.Equal(EInval, await c.CommandAsync(CmdTrim, 65536, 1));
        Assert.Equal(EInval, await c.CommandAsync(77, 0, 0));
        var (error, data) = await c.ReadAsync(0, 4096);
        Assert.Equal(0u, error);
        Assert.Equal(TestData.Pattern(65536).AsSpan(0, 4096).ToArray(), data);
    }

    [Fact]
    public async Task DeviceFailure_IsEIo_AndTheConnectionLivesOn()
    {
        await using var device = new FailingDevice(new MemoryBlockDevice(1 << 20), failAt: 8192);
        await using var t = await NbdTestServer.StartAsync(device);
        var (c, _, _) = await OpenAsync(t.Server);
        await using var _c = c;
        Assert.Equal(EIo, (await c.ReadAsync(8192, 512)).Error);
        Assert.Equal(EIo, await c.CommandAsync(CmdWrite, 8192, 2, [1, 2]));
        Assert.Equal(0u, (await c.ReadAsync(0, 512)).Error);
        Assert.Contains(t.Log, l => l.Contains("EIO test failure"));
    }

    [Fact]
    public async Task PipelinedRequests_AreAllAnswered_WithMatchingCookies()
    {
        var content = TestData.Pattern(1 << 20, seed: 3);
        await using var device = MemoryBlockDevice.FromBytes(content);
        await using var t = await NbdTestServer.StartAsync(device);
        var (c, _, _) = await OpenAsync(t.Server);
        await using var _c = c;
        const int count = 64;
        var lengths = new Dictionary<ulong, (int Offset, int Length)>();
        for (int i = 0; i < count; i++)
        {
            int offset = i * 16384 % (1 << 20), length = 512 + i * 64;
            lengths[(ulong)(1000 + i)] = (offset, length);
            await c.SendRequestAsync(CmdRead, (ulong)(1000 + i), (ulong)offset, (uint)length);
        }
        var seen = new HashSet<ulong>();
        for (int i = 0; i < count; i++)
        {
            var (error, cookie, data) = await c.ReadReplyAsync(k => lengths[k].Length);
            Assert.Equal(0u, error);
            Assert.True(seen.Add(cookie));
            var (offset, length) = lengths[cookie];
            Assert.Equal(content.AsSpan(offset, length).ToArray(), data);
        }
    }

    [Fact]
    public async Task SeveralConnections_ShareTheDevice()
    {
        await using var device = new MemoryBlockDevice(1 << 20);
        await using var t = await NbdTestServer.StartAsync(device, unix: false);
        var (a, _, flags) = await OpenAsync(t.Server);
        var (b, _, _) = await OpenAsync(t.Server);
        await using var _a = a;
        await using var _b = b;
        Assert.NotEqual(0, flags & 256); // CAN_MULTI_CONN
        Assert.Equal(0u, await a.CommandAsync(CmdWrite, 0, 4, [4, 3, 2, 1]));
        Assert.Equal(0u, await a.CommandAsync(CmdFlush, 0, 0));
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, (await b.ReadAsync(0, 4)).Data);
        Assert.Equal(2, t.Server.ConnectionCount);
    }

    /// <summary>Throws a device error for any request touching <c>failAt</c>.</summary>
    private sealed class FailingDevice(IBlockDevice next, long failAt) : BlockFilter(next)
    {
        public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
            => offset <= failAt && failAt < offset + buffer.Length ? throw new BlockDeviceException("EIO test failure") : base.ReadAsync(offset, buffer, ct);

        public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
            => offset <= failAt && failAt < offset + data.Length ? throw new BlockDeviceException("EIO test failure") : base.WriteAsync(offset, data, ct);
    }
}
