using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Store;

/// <summary>A region store refused or could not serve a request (permission, credential, endpoint); the message says which and the fix.</summary>
public sealed class RegionAccessException(string region, string message, Exception inner) : BlockDeviceException(message, inner)
{
    public string Region { get; } = region;
}
