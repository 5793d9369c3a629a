namespace Kiln.Streaming.Collection;

/// <summary>How a <see cref="RegionCollector"/> runs.</summary>
public sealed record CollectionOptions
{
    /// <summary>Ten minutes: longer than a publish or replication takes between storing a chunk and writing its manifest.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Unreferenced objects modified within this span before the collection started are kept: they
    /// may belong to a publish whose manifest is not written yet. Zero is safe only when the caller
    /// knows no writer is running (e.g. it holds the <see cref="RegionWriteGate"/> every writer enters).
    /// </summary>
    public TimeSpan Grace { get; init; } = DefaultGrace;

    /// <summary>Report what would be freed without deleting anything.</summary>
    public bool DryRun { get; init; }
}
