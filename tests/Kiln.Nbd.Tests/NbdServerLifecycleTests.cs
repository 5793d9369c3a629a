using Kiln.Storage.Blocks;

namespace Kiln.Nbd.Tests;

public class NbdServerLifecycleTests
{
    [Fact]
    public async Task UnixSocket_IsCreatedOnStart_AndDeletedOnDispose_ClosingOpenConnections()
    {
        var dir = Directory.CreateTempSubdirectory("kiln-nbd-").FullName;
        try
        {
            var path = Path.Combine(dir, "s.sock");
            await using var device = new MemoryBlockDevice(4096);
            var server = new NbdServer(device, new NbdServerOptions { UnixSocketPath = path }, exportName: "boot");
            await server.StartAsync();
            Assert.True(File.Exists(path));
            Assert.Equal($"nbd+unix:///boot?socket={path}", server.NbdUri);

            var (client, _, _) = await TestNbdClient.OpenAsync(server);
            await using var _c = client;
            await server.DisposeAsync();

            Assert.False(File.Exists(path));
            Assert.True(await client.ServerClosedAsync());
            Assert.Equal(0, server.ConnectionCount);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task StaleSocketFile_IsReplaced_ButALiveOneIsNot()
    {
        await using var device = new MemoryBlockDevice(4096);
        await using var live = await NbdTestServer.StartAsync(device);
        var second = new NbdServer(device, new NbdServerOptions { UnixSocketPath = live.SocketPath });
        await Assert.ThrowsAsync<IOException>(() => second.StartAsync());

        var stale = Path.Combine(live.Dir, "stale.sock");
        File.WriteAllText(stale, "left over from a crash");
        await using var third = new NbdServer(device, new NbdServerOptions { UnixSocketPath = stale });
        await third.StartAsync();
        var (c, size, _) = await TestNbdClient.OpenAsync(third);
        await using var _c = c;
        Assert.Equal(4096UL, size);
    }

    [Fact]
    public async Task TcpServer_PicksAFreePort_AndNamesItInTheUri()
    {
        await using var device = new MemoryBlockDevice(4096);
        await using var server = new NbdServer([new NbdExport("a b", device)], new NbdServerOptions());
        await server.StartAsync();
        Assert.NotNull(server.Endpoint);
        Assert.NotEqual(0, server.Endpoint!.Port);
        Assert.Equal($"nbd://127.0.0.1:{server.Endpoint.Port}/a%20b", server.NbdUri);
        Assert.Null(server.UnixSocketPath);
    }

    [Fact]
    public async Task SilentClient_IsDroppedAfterTheHandshakeTimeout()
    {
        await using var device = new MemoryBlockDevice(4096);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = new NbdServer(device, new NbdServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300), Log = log.Enqueue });
        await server.StartAsync();
        await using var silent = await TestNbdClient.ConnectAsync(server);
        await silent.ReadGreetingAsync();
        Assert.True(await silent.ServerClosedAsync()); // never sent its flags
        await LogEventuallyHasAsync(log, "handshake timeout"); // the server shuts the socket first, then its thread logs why
    }

    [Fact]
    public async Task TricklingClient_IsDroppedWhenTheWholeHandshakeOverrunsItsTimeout()
    {
        // Reads block (a thread per connection), so the limit must bound the handshake as a whole,
        // not each read: one byte every 50 ms keeps every single read short. (Had it bounded only single
        // reads, the 32 bytes would arrive and end in a protocol error about the option, not a timeout.)
        await using var device = new MemoryBlockDevice(4096);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = new NbdServer(device, new NbdServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300), Log = log.Enqueue });
        await server.StartAsync();
        await using var client = await TestNbdClient.ConnectAsync(server);
        await client.ReadGreetingAsync();
        await client.Stream.WriteAsync(new byte[] { 0, 0, 0, 3 }); // client flags
        try
        {
            foreach (var b in "IHAVEOPTIHAVEOPTIHAVEOPTIHAVEOPT"u8.ToArray())
            {
                await client.Stream.WriteAsync(new[] { b });
                await Task.Delay(50);
            }
        }
        catch (IOException)
        {
            // The server shut the connection while we were still dribbling: what this test wants.
        }
        Assert.True(await client.ServerClosedAsync());
        await LogEventuallyHasAsync(log, "handshake timeout"); // the server shuts the socket first, then its thread logs why
    }

    [Fact]
    public async Task ConnectionsBeyondTheLimit_AreRefused_AndServedAgainOnceASlotFrees()
    {
        await using var device = new MemoryBlockDevice(4096);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = new NbdServer(device, new NbdServerOptions { MaxConnections = 1, Log = log.Enqueue });
        await server.StartAsync();

        var (first, _, _) = await TestNbdClient.OpenAsync(server);
        await using (var extra = await TestNbdClient.ConnectAsync(server))
            Assert.True(await extra.ServerClosedAsync());
        Assert.Contains(log, l => l.Contains("MaxConnections"));

        await first.SendRequestAsync(TestNbdClient.CmdDisc, 1, 0, 0);
        Assert.True(await first.ServerClosedAsync());
        await first.DisposeAsync();
        while (server.ConnectionCount > 0) await Task.Delay(10);
        var (c, size, _) = await TestNbdClient.OpenAsync(server);
        await using var _c = c;
        Assert.Equal(4096UL, size);
    }

    private static async Task LogEventuallyHasAsync(System.Collections.Concurrent.ConcurrentQueue<string> log, string text)
    {
        for (int i = 0; i < 100 && !log.Any(l => l.Contains(text, StringComparison.Ordinal)); i++) await Task.Delay(50);
        Assert.Contains(log, l => l.Contains(text, StringComparison.Ordinal));
    }
}
