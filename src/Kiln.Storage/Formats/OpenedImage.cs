using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>A disk image file opened through its format: the virtual disk plus what format it was.</summary>
/// <param name="Format">raw | vhd-fixed | vhd-dynamic | qcow2 (the names `kiln inspect` reports).</param>
public sealed record OpenedImage(IBlockDevice Device, string Format, string Path) : IAsyncDisposable
{
    /// <summary>Problems the opener worked around (e.g. a damaged VHD footer rescued from its copy), for the user to see.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public ValueTask DisposeAsync() => Device.DisposeAsync();
}
