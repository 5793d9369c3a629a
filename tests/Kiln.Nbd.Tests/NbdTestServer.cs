using System.Collections.Concurrent;
using Kiln.Storage.Blocks;

namespace Kiln.Nbd.Tests;

/// <summary>A started server over given exports with its log captured, on a Unix socket in a private temp dir or on TCP.</summary>
internal sealed class NbdTestServer : IAsyncDisposable
{
    private readonly string _dir;
    public NbdServer Server { get; }
    public ConcurrentQueue<string> Log { get; } = new();
    public string SocketPath { get; }

    private NbdTestServer(IEnumerable<NbdExport> exports, bool unix, int maxRequestBytes)
    {
        _dir = Directory.CreateTempSubdirectory("kiln-nbd-").FullName;
        SocketPath = Path.Combine(_dir, "nbd.sock");
        Server = new NbdServer(exports, new NbdServerOptions
        {
            UnixSocketPath = unix ? SocketPath : null,
            Log = Log.Enqueue,
            MaxRequestBytes = maxRequestBytes,
        });
    }

    public static async Task<NbdTestServer> StartAsync(IEnumerable<NbdExport> exports, bool unix = true, int maxRequestBytes = 32 << 20)
    {
        var s = new NbdTestServer(exports, unix, maxRequestBytes);
        await s.Server.StartAsync();
        return s;
    }

    public static Task<NbdTestServer> StartAsync(IBlockDevice device, bool unix = true, bool readOnly = false)
        => StartAsync([new NbdExport("", device, readOnly)], unix);

    public string Dir => _dir;

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
