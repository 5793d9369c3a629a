namespace Kiln.Streaming.Hydration;

/// <summary>The mutable side of <see cref="HydrationStats"/>: thread-safe counters plus the fetch timeline.</summary>
internal sealed class HydrationCounters(TimeProvider time)
{
    private readonly long _origin = time.GetTimestamp();
    private readonly Lock _lock = new();
    private readonly List<FetchSample> _timeline = [];
    private long _remoteBytes;

    public long RemoteRequests, DemandRequests, DemandBytes, PrefetchRequests, PrefetchBytes, BackgroundRequests, BackgroundBytes;
    public long Reads, CacheHits, CoalescedFetches, PrefetchJoins, VerificationFailures;
    public int PackSegmentsFetched, PackSegmentsSkipped;
    public volatile bool PrefetchCompleted;
    public volatile string? PrefetchError;

    /// <summary>Records one completed remote request.</summary>
    public void Fetched(FetchKind kind, long bytes)
    {
        Interlocked.Increment(ref RemoteRequests);
        switch (kind)
        {
            case FetchKind.Demand: Interlocked.Increment(ref DemandRequests); Interlocked.Add(ref DemandBytes, bytes); break;
            case FetchKind.Prefetch: Interlocked.Increment(ref PrefetchRequests); Interlocked.Add(ref PrefetchBytes, bytes); break;
            case FetchKind.Background: Interlocked.Increment(ref BackgroundRequests); Interlocked.Add(ref BackgroundBytes, bytes); break;
        }
        var elapsed = time.GetElapsedTime(_origin);
        lock (_lock)
        {
            _remoteBytes += bytes;
            _timeline.Add(new FetchSample(elapsed, kind, bytes, _remoteBytes));
        }
    }

    public HydrationStats Snapshot(int packSegments, long presentBlocks)
    {
        lock (_lock)
        {
            return new HydrationStats
            {
                RemoteRequests = Interlocked.Read(ref RemoteRequests),
                RemoteBytes = _remoteBytes,
                DemandRequests = Interlocked.Read(ref DemandRequests),
                DemandBytes = Interlocked.Read(ref DemandBytes),
                PrefetchRequests = Interlocked.Read(ref PrefetchRequests),
                PrefetchBytes = Interlocked.Read(ref PrefetchBytes),
                BackgroundRequests = Interlocked.Read(ref BackgroundRequests),
                BackgroundBytes = Interlocked.Read(ref BackgroundBytes),
                Reads = Interlocked.Read(ref Reads),
                CacheHits = Interlocked.Read(ref CacheHits),
                CoalescedFetches = Interlocked.Read(ref CoalescedFetches),
                PrefetchJoins = Interlocked.Read(ref PrefetchJoins),
                VerificationFailures = Interlocked.Read(ref VerificationFailures),
                PackSegments = packSegments,
                PackSegmentsFetched = Volatile.Read(ref PackSegmentsFetched),
                PackSegmentsSkipped = Volatile.Read(ref PackSegmentsSkipped),
                PrefetchCompleted = PrefetchCompleted,
                PrefetchError = PrefetchError,
                PresentBlocks = presentBlocks,
                Timeline = _timeline.ToArray(),
            };
        }
    }
}
