namespace Kiln.Vms;

/// <summary>How <see cref="NbdkitPeer"/> serves a file: the same remote model as Kiln's (per-request latency, bandwidth cap), plus nbdkit's own remedies.</summary>
public sealed record NbdkitPeerOptions
{
    public required string ImagePath { get; init; }
    public required string SocketPath { get; init; }

    /// <summary>Added to every read that reaches the file (nbdkit's delay filter: rdelay).</summary>
    public TimeSpan Latency { get; init; }
    /// <summary>Server-wide cap (nbdkit's rate filter); null = none.</summary>
    public long? BytesPerSecond { get; init; }

    /// <summary>
    /// nbdkit's readahead filter above the cache. Off by default: in nbdkit 1.32 its background
    /// thread queues prefetches holding the connection's handle to the filters below, and uses it
    /// after the connection has closed. On this machine that crashed nbdkit in the delay filter
    /// (kernel log: "nbdkit: segfault … in nbdkit-delay-filter.so") at exit, so the stats file was
    /// never written, and once mid-boot. On for a comparison run only (kiln bench boot --nbdkit-readahead).
    /// </summary>
    public bool Readahead { get; init; }
    /// <summary>
    /// nbdkit's cache filter above the delay, with cache-on-read: a guest read that misses fetches
    /// the whole cache block (64 KiB) across the link once, and later reads inside it are local.
    /// That is nbdkit's generic remedy for small reads (Gen1's 512-byte BIOS reads); it knows nothing
    /// of the boot. It also makes the readahead filter's prefetches (.cache requests) hold data.
    /// </summary>
    public bool Cache { get; init; } = true;

    /// <summary>
    /// Where nbdkit's log filter, just below the cache, writes each request that crosses the
    /// modelled link as it happens (<see cref="NbdkitLog"/> reads it: the peer's bytes-over-time
    /// curve); null = no log.
    /// </summary>
    public string? LogFile { get; init; }

    /// <summary>Where nbdkit's stats filter writes its counts on exit; null = no counting.</summary>
    public string? StatsFile { get; init; }
}
