namespace Kiln.Streaming.Store;

/// <summary>
/// The network between a host and a region, as <see cref="RemoteRegionStore"/> models it:
/// every request waits <see cref="Latency"/> (requests in flight overlap their latencies, like
/// a real round trip), then its bytes cross a single shared link at <see cref="BandwidthBytesPerSecond"/>
/// (transfers queue behind each other, like a saturated pipe).
/// </summary>
public sealed record RemoteLinkOptions
{
    public TimeSpan Latency { get; init; }

    /// <summary>Bytes per second of the shared link; null means unlimited.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    public static RemoteLinkOptions Local { get; } = new();
}
