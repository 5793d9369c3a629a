using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Images;

/// <summary>A forward-only stream of a device's bytes at the given extents, back to back (how a pack is uploaded).</summary>
internal sealed class DeviceExtentsStream(IBlockDevice device, IReadOnlyList<Extent> extents) : Stream
{
    private int _extent;
    private long _inExtent;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; } = extents.Sum(e => e.Length);
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_extent < extents.Count && _inExtent == extents[_extent].Length)
        {
            _extent++;
            _inExtent = 0;
        }
        if (_extent >= extents.Count || buffer.Length == 0) return 0;
        var e = extents[_extent];
        int n = (int)Math.Min(buffer.Length, e.Length - _inExtent);
        await device.ReadAsync(e.Offset + _inExtent, buffer[..n], cancellationToken).ConfigureAwait(false);
        _inExtent += n;
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
        => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
