using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Store;

/// <summary>A region store was asked for an object it does not hold.</summary>
public sealed class RegionObjectNotFoundException(string region, string key)
    : BlockDeviceException($"region '{region}': object '{key}' does not exist (was the version replicated to this region?).")
{
    public string Region { get; } = region;
    public string Key { get; } = key;
}
