namespace Kiln.Streaming.Hydration;

/// <summary>A snapshot of what a <see cref="HydratingDevice"/> fetched and how reads were served.</summary>
public sealed record HydrationStats
{
    /// <summary>Every request made to the region (demand + prefetch + background, refetches included).</summary>
    public long RemoteRequests { get; init; }
    public long RemoteBytes { get; init; }

    public long DemandRequests { get; init; }
    public long DemandBytes { get; init; }
    public long PrefetchRequests { get; init; }
    public long PrefetchBytes { get; init; }
    public long BackgroundRequests { get; init; }
    public long BackgroundBytes { get; init; }

    /// <summary>Guest reads (device ReadAsync calls).</summary>
    public long Reads { get; init; }
    /// <summary>Chunk pieces of reads found entirely in the local cache.</summary>
    public long CacheHits { get; init; }
    /// <summary>Reads that joined a chunk fetch already in flight instead of making their own request.</summary>
    public long CoalescedFetches { get; init; }
    /// <summary>Reads that waited for a pack segment already in flight instead of fetching the chunk.</summary>
    public long PrefetchJoins { get; init; }

    /// <summary>Fetched data whose sha256 did not match (each was discarded and refetched or reported).</summary>
    public long VerificationFailures { get; init; }

    public int PackSegments { get; init; }
    public int PackSegmentsFetched { get; init; }
    /// <summary>Segments not fetched because demand reads had already brought all their blocks.</summary>
    public int PackSegmentsSkipped { get; init; }
    public bool PrefetchCompleted { get; init; }
    /// <summary>Why the prefetch stopped early, if it did (demand reads keep working from chunks).</summary>
    public string? PrefetchError { get; init; }

    /// <summary>Blocks of <see cref="HydratingDevice.PresenceBlockSize"/> bytes held locally.</summary>
    public long PresentBlocks { get; init; }

    public required IReadOnlyList<FetchSample> Timeline { get; init; }
}
