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

    /// <summary>nbdkit's readahead filter above the delay: a generic remedy, no knowledge of the boot.</summary>
    public bool Readahead { get; init; } = true;
    /// <summary>nbdkit's cache filter above the delay (a local cache of what was read).</summary>
    public bool Cache { get; init; }

    /// <summary>Where nbdkit's stats filter writes its counts on exit; null = no counting.</summary>
    public string? StatsFile { get; init; }
}
