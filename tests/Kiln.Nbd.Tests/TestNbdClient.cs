using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Kiln.Nbd.Tests;

/// <summary>
/// A deliberately small NBD client written from proto.md, independent of the server code, so
/// tests speak the protocol byte by byte (and can speak it badly on purpose).
/// </summary>
internal sealed class TestNbdClient : IAsyncDisposable
{
    public const ulong NbdMagic = 0x4e42444d41474943, IHaveOpt = 0x49484156454F5054, OptReplyMagic = 0x3e889045565a9;
    public const uint OptExportName = 1, OptAbort = 2, OptList = 3, OptInfo = 6, OptGo = 7, OptStructuredReply = 8;
    public const uint RepAck = 1, RepServer = 2, RepInfo = 3, RepErrUnsup = 0x80000001, RepErrInvalid = 0x80000003, RepErrUnknown = 0x80000006;
    public const ushort CmdRead = 0, CmdWrite = 1, CmdDisc = 2, CmdFlush = 3, CmdTrim = 4, CmdWriteZeroes = 6;
    public const uint EPerm = 1, EIo = 5, EInval = 22, ENoSpc = 28;

    private readonly Socket _socket;
    public NetworkStream Stream { get; }

    private TestNbdClient(Socket socket)
    {
        _socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<TestNbdClient> ConnectAsync(NbdServer server)
    {
        Socket socket;
        if (server.UnixSocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        }
        else
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(server.Endpoint!);
        }
        return new TestNbdClient(socket);
    }

    /// <summary>Connects, checks the greeting and sends the client flags (FIXED_NEWSTYLE | NO_ZEROES by default).</summary>
    public static async Task<TestNbdClient> HandshakeAsync(NbdServer server, uint clientFlags = 3)
    {
        var client = await ConnectAsync(server);
        var flags = await client.ReadGreetingAsync();
        Assert.Equal(3, flags);
        await client.WriteAsync(U32(clientFlags));
        return client;
    }

    /// <summary>Handshake plus NBD_OPT_GO; returns (size, transmission flags).</summary>
    public static async Task<(TestNbdClient Client, ulong Size, ushort Flags)> OpenAsync(NbdServer server, string name = "")
    {
        var client = await HandshakeAsync(server);
        await client.SendOptionAsync(OptGo, GoData(name));
        ulong size = 0; ushort flags = 0;
        while (true)
        {
            var (opt, type, data) = await client.ReadOptionReplyAsync();
            Assert.Equal(OptGo, opt);
            if (type == RepAck) break;
            Assert.Equal(RepInfo, type);
            if (BinaryPrimitives.ReadUInt16BigEndian(data) == 0)
            {
                size = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(2));
                flags = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(10));
            }
        }
        return (client, size, flags);
    }

    public async Task<ushort> ReadGreetingAsync()
    {
        var b = await ReadExactAsync(18);
        Assert.Equal(NbdMagic, BinaryPrimitives.ReadUInt64BigEndian(b));
        Assert.Equal(IHaveOpt, BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(8)));
        return BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(16));
    }

    public static byte[] GoData(string name, params ushort[] infos)
    {
        var n = Encoding.UTF8.GetBytes(name);
        var d = new byte[4 + n.Length + 2 + 2 * infos.Length];
        BinaryPrimitives.WriteUInt32BigEndian(d, (uint)n.Length);
        n.CopyTo(d, 4);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(4 + n.Length), (ushort)infos.Length);
        for (int i = 0; i < infos.Length; i++) BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(6 + n.Length + 2 * i), infos[i]);
        return d;
    }

    public Task SendOptionAsync(uint option, byte[] data, uint? lengthOverride = null)
    {
        var m = new byte[16 + data.Length];
        BinaryPrimitives.WriteUInt64BigEndian(m, IHaveOpt);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(8), option);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(12), lengthOverride ?? (uint)data.Length);
        data.CopyTo(m, 16);
        return WriteAsync(m);
    }

    public async Task<(uint Option, uint Type, byte[] Data)> ReadOptionReplyAsync()
    {
        var h = await ReadExactAsync(20);
        Assert.Equal(OptReplyMagic, BinaryPrimitives.ReadUInt64BigEndian(h));
        uint len = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16));
        Assert.True(len < 1 << 16, $"option reply length {len}");
        return (BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(8)), BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(12)), await ReadExactAsync((int)len));
    }

    public Task SendRequestAsync(ushort type, ulong cookie, ulong offset, uint length, byte[]? data = null, ushort flags = 0, uint magic = 0x25609513)
    {
        var m = new byte[28 + (data?.Length ?? 0)];
        BinaryPrimitives.WriteUInt32BigEndian(m, magic);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), flags);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), type);
        BinaryPrimitives.WriteUInt64BigEndian(m.AsSpan(8), cookie);
        BinaryPrimitives.WriteUInt64BigEndian(m.AsSpan(16), offset);
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(24), length);
        data?.CopyTo(m, 28);
        return WriteAsync(m);
    }

    /// <summary>Reads a simple reply; <paramref name="readLengthFor"/> gives the data length for a successful reply to a cookie.</summary>
    public async Task<(uint Error, ulong Cookie, byte[] Data)> ReadReplyAsync(Func<ulong, int>? readLengthFor = null)
    {
        var h = await ReadExactAsync(16);
        Assert.Equal(0x67446698u, BinaryPrimitives.ReadUInt32BigEndian(h));
        uint error = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(4));
        ulong cookie = BinaryPrimitives.ReadUInt64BigEndian(h.AsSpan(8));
        int n = error == 0 && readLengthFor is not null ? readLengthFor(cookie) : 0;
        return (error, cookie, await ReadExactAsync(n));
    }

    public async Task<(uint Error, byte[] Data)> ReadAsync(ulong offset, uint length, ulong cookie = 1)
    {
        await SendRequestAsync(CmdRead, cookie, offset, length);
        var (error, c, data) = await ReadReplyAsync(_ => (int)length);
        Assert.Equal(cookie, c);
        return (error, data);
    }

    public async Task<uint> CommandAsync(ushort type, ulong offset, uint length, byte[]? data = null, ulong cookie = 2, ushort flags = 0)
    {
        await SendRequestAsync(type, cookie, offset, length, data, flags);
        var (error, c, _) = await ReadReplyAsync();
        Assert.Equal(cookie, c);
        return error;
    }

    public async Task WriteAsync(byte[] bytes) => await Stream.WriteAsync(bytes);

    public async Task<byte[]> ReadExactAsync(int n)
    {
        var b = new byte[n];
        await Stream.ReadExactlyAsync(b);
        return b;
    }

    /// <summary>True when the server closed the connection (end of stream or reset) within the test's patience.</summary>
    public async Task<bool> ServerClosedAsync()
    {
        var b = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                int n = await Stream.ReadAsync(b, cts.Token);
                if (n == 0) return true;
            }
        }
        catch (IOException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    public static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); return b; }

    public ValueTask DisposeAsync()
    {
        Stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
