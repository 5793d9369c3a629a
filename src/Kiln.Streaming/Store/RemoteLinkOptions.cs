namespace Kiln.Streaming.Store;

/// <summary>
/// The network between a host and a region, as <see cref="RemoteRegionStore"/> models it:
/// a response starts arriving <see cref="Latency"/> after its request (requests in flight
/// overlap their latencies, like real round trips), and its bytes then cross one shared link at
/// <see cref="BandwidthBytesPerSecond"/> (transfers queue for the link in request order, like a
/// saturated pipe). So N sequential requests cost N × latency, and B bytes cost at least
/// B ÷ bandwidth however they are split.
/// </summary>
public sealed record RemoteLinkOptions
{
    public TimeSpan Latency { get; init; }

    /// <summary>Bytes per second of the shared link; null means unlimited.</summary>
    public long? BandwidthBytesPerSecond { get; init; }

    public static RemoteLinkOptions Local { get; } = new();
}
