using System.Buffers.Binary;
using Kiln.Storage.Blocks;
using static Kiln.Nbd.Tests.TestNbdClient;

namespace Kiln.Nbd.Tests;

/// <summary>
/// Every kind of bad client must lose its own connection (with a log line) and nothing else:
/// a second client connected before the attack, and a new one after it, keep being served.
/// </summary>
public class NbdHostileInputTests
{
    public static TheoryData<string> Attacks() =>
    [
        "garbage-instead-of-flags", "unknown-client-flags", "bad-option-magic", "huge-option-length",
        "truncated-option", "random-garbage-options", "bad-request-magic", "huge-write-length",
        "truncated-request", "truncated-write-data", "garbage-after-go",
    ];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task HostileClient_LosesItsConnection_OthersKeepBeingServed(string attack)
    {
        var content = TestData.Pattern(1 << 20);
        await using var device = MemoryBlockDevice.FromBytes(content);
        await using var t = await NbdTestServer.StartAsync(device);
        var (bystander, _, _) = await OpenAsync(t.Server);
        await using var _b = bystander;

        await using (var evil = await ConnectAsync(t.Server))
        {
            await evil.ReadGreetingAsync();
            await AttackAsync(evil, attack);
            Assert.True(await evil.ServerClosedAsync(), $"server kept the {attack} connection open");
        }

        Assert.Contains(t.Log, l => l.Contains("protocol error") || l.Contains("truncated") || l.Contains("lost"));
        Assert.Equal(content.AsSpan(4096, 4096).ToArray(), (await bystander.ReadAsync(4096, 4096)).Data);
        var (fresh, _, _) = await OpenAsync(t.Server);
        await using var _f = fresh;
        Assert.Equal(content.AsSpan(0, 512).ToArray(), (await fresh.ReadAsync(0, 512)).Data);
    }

    /// <summary>
    /// A valid session (flags, INFO, GO, write, read, flush, trim) with random bytes flipped:
    /// after the client stops sending, the server must end the connection (never hang on it,
    /// never fall over) and keep serving.
    /// </summary>
    [Fact]
    public async Task MutatedSessions_NeverHangOrKillTheServer()
    {
        var content = TestData.Pattern(1 << 20);
        await using var device = MemoryBlockDevice.FromBytes(content);
        await using var t = await NbdTestServer.StartAsync(device);
        var valid = ValidSession();
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed);
            var session = (byte[])valid.Clone();
            for (int flips = rng.Next(1, 4); flips > 0; flips--)
                session[rng.Next(session.Length)] ^= (byte)(1 << rng.Next(8));
            await using var c = await ConnectAsync(t.Server);
            await c.ReadGreetingAsync();
            try
            {
                await c.WriteAsync(session);
                c.Stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            catch (IOException)
            {
                // The server may already have closed on an early bad byte.
            }
            Assert.True(await c.ServerClosedAsync(), $"seed {seed}: the server kept a finished client's connection open");
        }
        var (fresh, _, _) = await OpenAsync(t.Server);
        await using var _f = fresh;
        Assert.Equal(content.AsSpan(0, 512).ToArray(), (await fresh.ReadAsync(0, 512)).Data);
    }

    private static byte[] ValidSession()
    {
        var m = new MemoryStream();
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, v); m.Write(b); }
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); m.Write(b); }
        void U64(ulong v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64BigEndian(b, v); m.Write(b); }
        void Option(uint opt, byte[] data) { U64(IHaveOpt); U32(opt); U32((uint)data.Length); m.Write(data); }
        void Request(ushort type, ulong offset, uint length, byte[]? data = null)
        {
            U32(0x25609513); U16(0); U16(type); U64(7); U64(offset); U32(length);
            if (data is not null) m.Write(data);
        }
        U32(3);
        Option(OptInfo, GoData("", 3));
        Option(OptGo, GoData(""));
        Request(CmdWrite, 4096, 64, new byte[64]);
        Request(CmdRead, 0, 4096);
        Request(CmdFlush, 0, 0);
        Request(CmdTrim, 65536, 65536);
        Request(CmdRead, 8192, 512);
        return m.ToArray();
    }

    private static async Task AttackAsync(TestNbdClient c, string attack)
    {
        var rng = new Random(attack.GetHashCode(StringComparison.Ordinal));
        switch (attack)
        {
            case "garbage-instead-of-flags":
                await c.WriteAsync([0xFF, 0xFF, 0xFF, 0xFF]);
                break;
            case "unknown-client-flags":
                await c.WriteAsync(U32(0x80000003));
                break;
            case "bad-option-magic":
                await c.WriteAsync(U32(3));
                await c.WriteAsync([.. "NOTMAGIC"u8, 0, 0, 0, 7, 0, 0, 0, 0]);
                break;
            case "huge-option-length":
                await c.WriteAsync(U32(3));
                await c.SendOptionAsync(OptGo, [], lengthOverride: 0xFFFFFFF0);
                break;
            case "truncated-option":
                await c.WriteAsync(U32(3));
                await c.SendOptionAsync(OptGo, [0, 0, 0], lengthOverride: 100);
                c.Stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                break;
            case "random-garbage-options":
            {
                await c.WriteAsync(U32(3));
                var junk = new byte[8192];
                rng.NextBytes(junk);
                await c.WriteAsync(junk);
                break;
            }
            case "bad-request-magic":
                await GoAsync(c);
                await c.SendRequestAsync(CmdRead, 1, 0, 512, magic: 0xDEADBEEF);
                break;
            case "huge-write-length":
                await GoAsync(c);
                await c.SendRequestAsync(CmdWrite, 1, 0, 0xFFFFFFFF);
                break;
            case "truncated-request":
                await GoAsync(c);
                await c.WriteAsync([0x25, 0x60, 0x95, 0x13, 0, 0, 0]);
                c.Stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                break;
            case "truncated-write-data":
                await GoAsync(c);
                await c.SendRequestAsync(CmdWrite, 1, 0, 4096, new byte[100]);
                c.Stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                break;
            case "garbage-after-go":
            {
                await GoAsync(c);
                var junk = new byte[4096];
                rng.NextBytes(junk);
                BinaryPrimitives.WriteUInt32BigEndian(junk, 0x12345678); // never the request magic
                await c.WriteAsync(junk);
                break;
            }
            default:
                throw new ArgumentException(attack);
        }
    }

    private static async Task GoAsync(TestNbdClient c)
    {
        await c.WriteAsync(U32(3));
        await c.SendOptionAsync(OptGo, GoData(""));
        while ((await c.ReadOptionReplyAsync()).Type != RepAck) { }
    }
}
