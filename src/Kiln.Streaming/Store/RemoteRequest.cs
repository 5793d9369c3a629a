namespace Kiln.Streaming.Store;

/// <summary>One request that crossed a <see cref="RemoteRegionStore"/>, in completion order (<see cref="Sequence"/>).</summary>
public readonly record struct RemoteRequest(long Sequence, string Operation, string Key, long Offset, long Bytes);
