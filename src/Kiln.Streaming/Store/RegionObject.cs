namespace Kiln.Streaming.Store;

/// <summary>One stored object as a listing sees it: key, size, and last-modified time (UTC, the store's clock).</summary>
public sealed record RegionObject(string Key, long Length, DateTimeOffset LastModified);
