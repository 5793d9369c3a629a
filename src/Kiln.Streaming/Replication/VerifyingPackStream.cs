using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Replication;

/// <summary>
/// Reads a pack from a region one segment at a time and checks each segment's sha256 before
/// handing out a byte of it (one refetch on mismatch), so an upload fed from this stream fails
/// (and, by the store's atomic put, leaves nothing) instead of copying corruption.
/// </summary>
internal sealed class VerifyingPackStream(IRegionStore from, BootPackIndex pack) : Stream
{
    private readonly string _key = RegionKeys.Pack(pack.Id);
    private readonly byte[] _segment = new byte[pack.SegmentSize];
    private int _next;          // next segment to fetch
    private int _segmentLength; // valid bytes in _segment
    private int _inSegment;     // bytes of _segment already handed out
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => pack.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_inSegment == _segmentLength)
        {
            if (_next >= pack.SegmentCount) return 0;
            await FetchAsync(_next, cancellationToken).ConfigureAwait(false);
            _next++;
        }
        int n = Math.Min(buffer.Length, _segmentLength - _inSegment);
        _segment.AsMemory(_inSegment, n).CopyTo(buffer);
        _inSegment += n;
        _position += n;
        return n;
    }

    private async Task FetchAsync(int index, CancellationToken ct)
    {
        int length = (int)pack.SegmentLength(index);
        string actual = "";
        for (int attempt = 0; attempt < 2; attempt++)
        {
            int n = await from.ReadExactlyAsync(_key, (long)index * pack.SegmentSize, _segment.AsMemory(0, length), ct).ConfigureAwait(false);
            actual = ChunkHash.Of(_segment.AsSpan(0, n));
            if (n == length && actual == pack.SegmentHashes[index])
            {
                _segmentLength = length;
                _inSegment = 0;
                return;
            }
        }
        throw new ChunkVerificationException("pack segment", index, pack.SegmentHashes[index], actual, from.Name, _key);
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
