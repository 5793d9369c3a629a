namespace Kiln.Streaming.Hydration;

/// <summary>One completed remote request: when (since the device opened), what it fetched, and the running byte total (for plots).</summary>
public readonly record struct FetchSample(TimeSpan Elapsed, FetchKind Kind, long Bytes, long CumulativeBytes);
