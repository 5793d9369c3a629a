namespace Kiln.Storage.Blocks;

/// <summary>A byte range [Offset, Offset + Length).</summary>
public readonly record struct Extent(long Offset, long Length)
{
    public long End => Offset + Length;

    public bool Overlaps(Extent other) => Offset < other.End && other.Offset < End;

    public bool Contains(long offset) => offset >= Offset && offset < End;

    public override string ToString() => $"[{Offset}, +{Length})";
}
