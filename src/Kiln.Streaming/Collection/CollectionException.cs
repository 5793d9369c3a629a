namespace Kiln.Streaming.Collection;

/// <summary>
/// A collection stopped before deleting anything because it could not know what is in use (an
/// unreadable manifest, an unexpected object among the manifests). Names the region, the object and the fix.
/// </summary>
public sealed class CollectionException(string region, string key, string message, Exception? inner = null)
    : IOException(message, inner)
{
    public string Region { get; } = region;
    public string Key { get; } = key;
}
