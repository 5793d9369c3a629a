using System.Buffers.Binary;
using System.Text;
using Kiln.Storage.Blocks;
using static Kiln.Nbd.Tests.TestNbdClient;

namespace Kiln.Nbd.Tests;

public class NbdHandshakeTests
{
    private static NbdExport[] TwoExports() =>
    [
        new NbdExport("disk", MemoryBlockDevice.FromBytes(TestData.Pattern(1 << 20)), Description: "the test disk"),
        new NbdExport("small", new MemoryBlockDevice(8192), ReadOnly: true),
    ];

    [Fact]
    public async Task Go_ReportsSizeFlagsNameAndBlockSizes_ThenAck()
    {
        await using var t = await NbdTestServer.StartAsync(TwoExports());
        await using var c = await HandshakeAsync(t.Server);
        await c.SendOptionAsync(OptGo, GoData("disk", 1, 2, 3));

        var infos = new Dictionary<ushort, byte[]>();
        while (true)
        {
            var (opt, type, data) = await c.ReadOptionReplyAsync();
            Assert.Equal(OptGo, opt);
            if (type == RepAck) break;
            Assert.Equal(RepInfo, type);
            infos[BinaryPrimitives.ReadUInt16BigEndian(data)] = data;
        }
        Assert.Equal(1UL << 20, BinaryPrimitives.ReadUInt64BigEndian(infos[0].AsSpan(2)));
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(infos[0].AsSpan(10));
        Assert.Equal(0, flags & 2); // writable
        Assert.NotEqual(0, flags & 1); // HAS_FLAGS
        Assert.NotEqual(0, flags & 4); // SEND_FLUSH
        Assert.NotEqual(0, flags & 32); // SEND_TRIM
        Assert.Equal("disk", Encoding.UTF8.GetString(infos[1].AsSpan(2)));
        Assert.Equal("the test disk", Encoding.UTF8.GetString(infos[2].AsSpan(2)));
        var sizes = infos[3];
        uint min = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(2)), pref = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(6)), max = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(10));
        Assert.True(min >= 1 && min <= pref && pref <= max, $"{min} {pref} {max}");
        Assert.Equal(32u << 20, max);

        // Now in transmission: a read works.
        var (error, bytes) = await c.ReadAsync(4096, 512);
        Assert.Equal(0u, error);
        Assert.Equal(TestData.Pattern(1 << 20).AsSpan(4096, 512).ToArray(), bytes);
    }

    [Fact]
    public async Task Info_DoesNotEnterTransmission_AndReadOnlyExportSaysSo()
    {
        await using var t = await NbdTestServer.StartAsync(TwoExports());
        await using var c = await HandshakeAsync(t.Server);
        await c.SendOptionAsync(OptInfo, GoData("small"));
        ushort flags = 0; ulong size = 0;
        while (true)
        {
            var (_, type, data) = await c.ReadOptionReplyAsync();
            if (type == RepAck) break;
            if (BinaryPrimitives.ReadUInt16BigEndian(data) == 0)
            {
                size = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(2));
                flags = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(10));
            }
        }
        Assert.Equal(8192UL, size);
        Assert.NotEqual(0, flags & 2); // READ_ONLY

        // Still haggling: LIST works after INFO.
        await c.SendOptionAsync(OptList, []);
        var names = new List<string>();
        while (true)
        {
            var (opt, type, data) = await c.ReadOptionReplyAsync();
            Assert.Equal(OptList, opt);
            if (type == RepAck) break;
            Assert.Equal(RepServer, type);
            int n = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
            names.Add(Encoding.UTF8.GetString(data, 4, n));
        }
        Assert.Equal(["disk", "small"], names);
    }

    [Fact]
    public async Task UnknownExport_UnknownOption_StructuredReply_AreRefused_AndHagglingGoesOn()
    {
        await using var t = await NbdTestServer.StartAsync(TwoExports());
        await using var c = await HandshakeAsync(t.Server);

        await c.SendOptionAsync(OptGo, GoData("nope"));
        Assert.Equal(RepErrUnknown, (await c.ReadOptionReplyAsync()).Type);

        await c.SendOptionAsync(99, [1, 2, 3]);
        var (opt, type, _) = await c.ReadOptionReplyAsync();
        Assert.Equal((99u, RepErrUnsup), (opt, type));

        await c.SendOptionAsync(OptStructuredReply, []);
        Assert.Equal(RepErrUnsup, (await c.ReadOptionReplyAsync()).Type);

        await c.SendOptionAsync(OptList, [0]);
        Assert.Equal(RepErrInvalid, (await c.ReadOptionReplyAsync()).Type);

        // GO whose info count disagrees with the option length.
        var bad = GoData("disk", 3);
        bad[^3] = 5;
        await c.SendOptionAsync(OptGo, bad);
        Assert.Equal(RepErrInvalid, (await c.ReadOptionReplyAsync()).Type);

        // Empty name = the default (first) export.
        await c.SendOptionAsync(OptGo, GoData(""));
        uint last;
        ulong size = 0;
        do
        {
            var r = await c.ReadOptionReplyAsync();
            last = r.Type;
            if (last == RepInfo && BinaryPrimitives.ReadUInt16BigEndian(r.Data) == 0) size = BinaryPrimitives.ReadUInt64BigEndian(r.Data.AsSpan(2));
        } while (last != RepAck);
        Assert.Equal(1UL << 20, size);
    }

    [Fact]
    public async Task Abort_IsAcknowledged_ThenTheServerCloses()
    {
        await using var t = await NbdTestServer.StartAsync(TwoExports());
        await using var c = await HandshakeAsync(t.Server);
        await c.SendOptionAsync(OptAbort, []);
        var reply = await c.ReadOptionReplyAsync();
        Assert.Equal((OptAbort, RepAck), (reply.Option, reply.Type));
        Assert.True(await c.ServerClosedAsync());
    }

    [Theory]
    [InlineData(3u, 10)]  // NO_ZEROES: size + flags only
    [InlineData(1u, 134)] // without it: 124 zero bytes follow
    public async Task ExportName_RepliesWithOrWithoutZeroes_AndEntersTransmission(uint clientFlags, int replyLength)
    {
        await using var t = await NbdTestServer.StartAsync(TwoExports());
        await using var c = await HandshakeAsync(t.Server, clientFlags);
        await c.SendOptionAsync(OptExportName, Encoding.UTF8.GetBytes("small"));
        var reply = await c.ReadExactAsync(replyLength);
        Assert.Equal(8192UL, BinaryPrimitives.ReadUInt64BigEndian(reply));
        Assert.All(reply.Skip(10), b => Assert.Equal(0, b));
        Assert.Equal(0u, (await c.ReadAsync(0, 4096)).Error);
        await c.SendRequestAsync(CmdDisc, 9, 0, 0);
        Assert.True(await c.ServerClosedAsync());
    }

    [Fact]
    public async Task ExportName_ForUnknownExport_ClosesTheConnection()
    {
        await using var t = await NbdTestServer.StartAsync(TwoExports());
        await using var c = await HandshakeAsync(t.Server);
        await c.SendOptionAsync(OptExportName, Encoding.UTF8.GetBytes("missing"));
        Assert.True(await c.ServerClosedAsync());
        Assert.Contains(t.Log, l => l.Contains("missing"));
    }
}
