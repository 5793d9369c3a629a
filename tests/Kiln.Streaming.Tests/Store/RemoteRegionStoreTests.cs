using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

public class RemoteRegionStoreTests
{
    [Fact]
    public async Task CountsRequestsAndBytes_InBothDirections()
    {
        using var dir = new TempDir();
        var remote = new RemoteRegionStore(new LocalFolderRegionStore(dir.Path, "east"),
            new RemoteLinkOptions { Latency = TimeSpan.FromMilliseconds(1), BandwidthBytesPerSecond = 1L << 30 });
        var seen = new List<RemoteRequest>();
        remote.RequestCompleted += r => { lock (seen) seen.Add(r); };

        await remote.PutAsync("chunks/aa/x", new byte[5000]);
        var buffer = new byte[1000];
        await remote.ReadAsync("chunks/aa/x", 4500, buffer);
        Assert.True(await remote.ExistsAsync("chunks/aa/x"));

        Assert.Equal(3, remote.Requests);
        Assert.Equal(5000, remote.BytesWritten);
        Assert.Equal(500, remote.BytesRead); // only what the object had past 4500
        Assert.Equal(["put", "get", "exists"], seen.Select(r => r.Operation));
        Assert.Equal("east", remote.Name);
    }
}

public class RemoteLinkOptionsTests
{
    [Theory]
    [InlineData("10ms", 0.010)]
    [InlineData("0.5s", 0.5)]
    [InlineData("250us", 0.00025)]
    [InlineData("0", 0)]
    [InlineData(null, 0)]
    public void Latency_Parses(string? text, double seconds)
        => Assert.Equal(seconds, RemoteLinkOptions.ParseLatency(text).TotalSeconds, 9);

    [Theory]
    [InlineData("200MB/s", 200_000_000L)]
    [InlineData("1GiB/s", 1L << 30)]
    [InlineData("800Mbit/s", 100_000_000L)]
    [InlineData("unlimited", null)]
    public void Bandwidth_Parses(string text, long? bytesPerSecond)
        => Assert.Equal(bytesPerSecond, RemoteLinkOptions.ParseBandwidth(text));

    [Theory]
    [InlineData("10", null)]
    [InlineData("fast", null)]
    [InlineData(null, "200 parsecs")]
    [InlineData(null, "-5MB/s")]
    public void Nonsense_IsRefused(string? latency, string? bandwidth)
        => Assert.Throws<FormatException>(() => RemoteLinkOptions.Parse(latency, bandwidth));
}
