namespace Kiln.Streaming.Hydration;

public sealed record HydratingDeviceOptions
{
    /// <summary>Chunk fetches for guest reads in flight at once (separate from the prefetch, so demand never queues behind it).</summary>
    public int MaxDemandFetches { get; init; } = 8;

    /// <summary>Pack segment requests in flight at once: enough to keep the link busy across the latency, few enough to leave room for demand.</summary>
    public int PrefetchDepth { get; init; } = 3;

    /// <summary>After the pack, fetch every remaining chunk in the background (off by default: benchmarks measure the boot alone).</summary>
    public bool HydrateRemainder { get; init; }

    /// <summary>Clock for the statistics timeline.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public static HydratingDeviceOptions Default { get; } = new();
}
