namespace Kiln.Control.Persistence;

/// <summary>
/// One page of a keyset-paged list: the items in key order, and whether rows with a larger key remain.
/// The next page starts after the last item's key, so inserts and deletes between pages never
/// repeat or skip an item that existed throughout (an offset would shift).
/// </summary>
public sealed record ResourcePage(IReadOnlyList<StoredResource> Items, bool More)
{
    /// <summary>Where the next page starts (exclusive); null when nothing remains.</summary>
    public string? NextAfterKey => More && Items.Count > 0 ? Items[^1].Key : null;
}
