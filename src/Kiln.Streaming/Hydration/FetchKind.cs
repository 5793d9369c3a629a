namespace Kiln.Streaming.Hydration;

/// <summary>Why a remote request was made.</summary>
public enum FetchKind
{
    /// <summary>A guest read needed a chunk that was not local (and not arriving with the pack).</summary>
    Demand,
    /// <summary>A boot pack segment streamed ahead of the guest.</summary>
    Prefetch,
    /// <summary>A chunk hydrated in the background after the pack.</summary>
    Background,
}
