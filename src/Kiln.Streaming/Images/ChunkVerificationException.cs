using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Images;

/// <summary>
/// Bytes fetched from a region did not hash to their name, twice (the first mismatch is retried).
/// Corrupted data is never served or copied; the fix is to re-replicate the object from a good region.
/// </summary>
public sealed class ChunkVerificationException(string what, int index, string expectedHash, string actualHash, string region, string key)
    : BlockDeviceException(
        $"region '{region}': {what} {index} (object '{key}') failed sha256 verification twice: expected {expectedHash}, got {actualHash}. " +
        "The data was not used; re-replicate the object from a healthy region.")
{
    /// <summary>"chunk" or "pack segment".</summary>
    public string What { get; } = what;
    public int Index { get; } = index;
    public string ExpectedHash { get; } = expectedHash;
    public string ActualHash { get; } = actualHash;
    public string Region { get; } = region;
    public string Key { get; } = key;
}
