namespace Kiln.Streaming.Replication;

/// <summary>What one replication moved: only the objects the target lacked.</summary>
public sealed record ReplicationResult(
    int ChunksTotal,
    int ChunksCopied,
    int ChunksSkipped,
    long BytesCopied,
    bool PackCopied,
    long PackBytesCopied);
