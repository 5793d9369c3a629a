using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>Merges ascending extents that touch into one, for allocated-extent reports.</summary>
internal sealed class ExtentMerger
{
    private Extent? _current;

    /// <summary>Adds the next extent; returns the previous merged extent when this one does not continue it.</summary>
    public Extent? Add(Extent next)
    {
        if (_current is { } c && c.End >= next.Offset)
        {
            _current = new Extent(c.Offset, Math.Max(c.End, next.End) - c.Offset);
            return null;
        }
        var done = _current;
        _current = next;
        return done;
    }

    public Extent? Finish()
    {
        var done = _current;
        _current = null;
        return done;
    }
}
