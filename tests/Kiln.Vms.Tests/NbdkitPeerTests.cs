namespace Kiln.Vms.Tests;

public sealed class NbdkitPeerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-nbdkit-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Arguments_PutReadaheadAndCacheAboveTheDelay_AndCountBelowThem()
    {
        var args = NbdkitPeer.BuildArguments(new NbdkitPeerOptions
        {
            ImagePath = "/img/disk.raw",
            SocketPath = "/run/x.sock",
            Latency = TimeSpan.FromMilliseconds(10),
            BytesPerSecond = 200_000_000,
            StatsFile = "/run/stats.txt",
            LogFile = "/run/requests.log",
            Readahead = true,
        });
        var filters = args.Where(a => a.StartsWith("--filter=", StringComparison.Ordinal)).ToList();
        // nbdkit: the first filter is nearest the client. Readahead's big reads must pay the delay,
        // and the stats filter must see exactly what crosses the modelled link.
        Assert.Equal(["--filter=readahead", "--filter=cache", "--filter=log", "--filter=stats", "--filter=rate", "--filter=delay"], filters);
        Assert.Contains("logfile=/run/requests.log", args);
        Assert.Contains("rdelay=10ms", args);
        Assert.Contains("rate=1600000000", args); // bits per second
        Assert.Contains("statsfile=/run/stats.txt", args);
        Assert.Equal(["file", "/img/disk.raw"], args.SkipWhile(a => a != "file").Take(2));
        Assert.Contains("--readonly", args);
        Assert.Contains("cache-on-read=true", args);
    }

    [Fact]
    public void Arguments_ByDefault_CacheWithoutReadahead()
    {
        // nbdkit 1.32's readahead crashes the server when a connection closes with prefetches queued.
        var args = NbdkitPeer.BuildArguments(new NbdkitPeerOptions { ImagePath = "/a.raw", SocketPath = "/s", Latency = TimeSpan.FromMilliseconds(1) });
        Assert.Equal(["--filter=cache", "--filter=delay"], args.Where(a => a.StartsWith("--filter=", StringComparison.Ordinal)));
        Assert.Contains("cache-on-read=true", args);
    }

    [Fact]
    public void Arguments_WithoutLatencyOrStats_LeaveThoseFiltersOut()
    {
        var args = NbdkitPeer.BuildArguments(new NbdkitPeerOptions { ImagePath = "/a.raw", SocketPath = "/s", Readahead = false, Cache = false });
        Assert.DoesNotContain(args, a => a.StartsWith("--filter=", StringComparison.Ordinal));
        Assert.DoesNotContain(args, a => a.StartsWith("rdelay=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("total: 191 ops, 21.9 s, 25.13 GiB, 1.15 GiB/s\nread: 136 ops, 0.000230 s, 3.16 MiB, 13.43 GiB/s op, 147.83 KiB/s total\n", 136, 3313500)]
    [InlineData("total: 3 ops, 1.0 s, 512 bytes, 1 bytes/s\nread: 1 ops, 0.01 s, 512 bytes, 1 bytes/s op\n", 1, 512)]
    [InlineData("total: 2 ops, 1.187228 s, 0 bytes, 0 bytes/s\nextents: 2 ops, 0.000019 s, 32.00 MiB\n", 0, 0)]
    public void Stats_ReadLineParsed(string text, long requests, long bytes)
    {
        var stats = NbdkitStats.Parse(text);
        Assert.NotNull(stats);
        Assert.Equal(requests, stats.ReadRequests);
        Assert.Equal(bytes, stats.ReadBytes, tolerance: 0.005 * bytes + 1);
    }

    [Fact]
    public void Stats_NotAStatsFile_IsNull() => Assert.Null(NbdkitStats.Parse("nbdkit: error: something else"));

    [Fact]
    public async Task RealNbdkit_ListensOnItsSocket_StopsOnSigterm_AndWritesStats()
    {
        var image = Path.Combine(_dir, "disk.raw");
        await using (var f = File.Create(image)) f.SetLength(1 << 20);
        var socket = Path.Combine(_dir, "nbdkit.sock");
        var stats = Path.Combine(_dir, "stats.txt");
        var peer = await NbdkitPeer.StartAsync(new NbdkitPeerOptions
        {
            ImagePath = image, SocketPath = socket, Latency = TimeSpan.FromMilliseconds(1), StatsFile = stats,
        }, TimeSpan.FromSeconds(30));
        await using (peer)
        {
            Assert.True(File.Exists(socket));
            var counts = await peer.StopAsync();
            Assert.NotNull(counts); // written on a graceful exit only
            Assert.Equal(0, counts.ReadRequests);
        }
        Assert.False(Kiln.Testing.ProcessTable.Any(socket), "nbdkit still runs");
    }

    [Fact]
    public async Task RealNbdkit_OutlivesTheThreadThatStartedIt()
    {
        // nbdkit --foreground sets PR_SET_PDEATHSIG(SIGTERM), which Linux fires when the forking
        // *thread* ends. Started here from a thread that ends at once, as a retired pool thread would.
        var image = Path.Combine(_dir, "disk.raw");
        await using (var f = File.Create(image)) f.SetLength(1 << 20);
        var socket = Path.Combine(_dir, "nbdkit.sock");
        NbdkitPeer? started = null;
        var starter = new Thread(() => started = NbdkitPeer.StartAsync(new NbdkitPeerOptions
        {
            ImagePath = image, SocketPath = socket, Latency = TimeSpan.FromMilliseconds(1), StatsFile = Path.Combine(_dir, "stats.txt"),
        }, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult());
        starter.Start();
        starter.Join();
        await using var peer = started!;

        await Task.Delay(500); // the signal, when it comes, comes within milliseconds of the thread's end
        Assert.True(Kiln.Testing.ProcessTable.Any(socket, "nbdkit"), "nbdkit died with the thread that started it");
        var counts = await peer.StopAsync();
        Assert.NotNull(counts); // a graceful SIGTERM from StopAsync, not the parent-death one
    }

    [Fact]
    public async Task RealNbdkit_CachesWholeBlocks_SoSmallReadsInOneBlockCrossTheLinkOnce()
    {
        var image = Path.Combine(_dir, "disk.raw");
        await using (var f = File.Create(image)) f.SetLength(1 << 20);
        var socket = Path.Combine(_dir, "nbdkit.sock");
        await using var peer = await NbdkitPeer.StartAsync(new NbdkitPeerOptions
        {
            ImagePath = image, SocketPath = socket, Latency = TimeSpan.FromMilliseconds(1), StatsFile = Path.Combine(_dir, "stats.txt"),
            LogFile = Path.Combine(_dir, "requests.log"),
        }, TimeSpan.FromSeconds(30));

        var before = DateTime.Now.AddSeconds(-1);
        // Eight 512-byte BIOS-style reads inside the first 64 KiB block, then one in the next block.
        var reads = Enumerable.Range(0, 8).Select(i => $"read {i * 4096} 512").Append("read 65536 512");
        await QemuIo.ReadAsync(peer.NbdUri, reads);

        var counts = await peer.StopAsync();
        Assert.NotNull(counts);
        Assert.Equal(2, counts.ReadRequests);
        Assert.Equal(2 * 65536, counts.ReadBytes, tolerance: 1024);
        // The log sees the same two link reads, exactly, with times of this test's moment.
        var logged = NbdkitLog.Read(Path.Combine(_dir, "requests.log"));
        Assert.Equal([65536L, 65536L], logged.Select(r => r.Bytes));
        Assert.All(logged, r => Assert.InRange(r.CompletedAt, before, DateTime.Now.AddSeconds(1)));
    }
}
