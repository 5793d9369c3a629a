using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Refuses writes and trims so the device under it can never change (the optimizer's image,
/// a gallery replica). Stack a <see cref="CopyOnWriteOverlay"/> above it to let a guest write.
/// </summary>
public sealed class ReadOnlyFilter(IBlockDevice next, bool ownsNext = true, string name = "read-only filter")
    : BlockFilter(next, ownsNext)
{
    public override bool CanWrite => false;

    public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        => throw new BlockDeviceReadOnlyException(name);

    // A trim may discard data, so it is a write as far as the image is concerned.
    public override ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
        => throw new BlockDeviceReadOnlyException(name);

    // Nothing below can hold unwritten data from us; flushing is harmless and keeps clients happy.
    public override ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;
}
