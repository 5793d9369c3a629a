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
