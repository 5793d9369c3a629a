namespace Kiln.Streaming.Images;

/// <summary>What a publish wrote: <see cref="ChunksStored"/> and <see cref="BytesStored"/> are the new objects only.</summary>
public sealed record PublishResult(
    ImageManifest Manifest,
    int ChunksTotal,
    int ZeroChunks,
    int ChunksStored,
    int ChunksReused,
    long BytesStored,
    long PackBytes,
    bool PackStored);
