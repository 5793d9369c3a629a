using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>Entry point of the fluent stack builder: <c>BlockStack.Over(image).ReadOnly().Trace(out var t).Overlay().Build()</c>.</summary>
public static class BlockStack
{
    /// <param name="ownsDevice">Whether disposing the built stack disposes <paramref name="device"/>.</param>
    public static BlockStackBuilder Over(IBlockDevice device, bool ownsDevice = true) => new(device, ownsDevice);
}
