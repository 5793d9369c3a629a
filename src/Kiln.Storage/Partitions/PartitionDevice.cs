using System.Runtime.CompilerServices;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Partitions;

/// <summary>
/// A read-only window [offset, offset + length) of a disk, seen as a device of its own (what
/// /dev/sda1 is to /dev/sda). Does not own the disk: disposing the window leaves it open.
/// </summary>
public sealed class PartitionDevice : BlockFilter
{
    private readonly long _offset;
    private readonly long _length;

    public PartitionDevice(IBlockDevice disk, long offset, long length) : base(disk, ownsNext: false)
    {
        if (offset < 0 || length < 0 || offset > disk.Length || length > disk.Length - offset)
            throw new ArgumentOutOfRangeException(nameof(length), $"window [{offset}, +{length}) is outside the disk ({disk.Length} bytes).");
        _offset = offset;
        _length = length;
    }

    public override long Length => _length;
    public override bool CanWrite => false;

    public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, nameof(PartitionDevice));
        return Next.ReadAsync(_offset + offset, buffer, ct);
    }

    public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        => throw new BlockDeviceReadOnlyException(nameof(PartitionDevice));

    public override ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;

    public override ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
        => throw new BlockDeviceReadOnlyException(nameof(PartitionDevice));

    public override async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        long end = _offset + _length;
        await foreach (var e in Next.GetAllocatedExtentsAsync(ct).ConfigureAwait(false))
        {
            long s = Math.Max(e.Offset, _offset), t = Math.Min(e.End, end);
            if (s < t) yield return new Extent(s - _offset, t - s);
            if (e.Offset >= end) yield break;
        }
    }
}
