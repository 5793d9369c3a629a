using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Counts the requests and bytes that reach it, per operation. Stacked at the bottom of a test
/// stack it proves what the filters above kept from the device (e.g. cache hits).
/// </summary>
public sealed class CountingFilter(IBlockDevice next, bool ownsNext = true) : BlockFilter(next, ownsNext)
{
    private long _reads, _bytesRead, _writes, _bytesWritten, _flushes, _trims, _bytesTrimmed;

    public long Reads => Interlocked.Read(ref _reads);
    public long BytesRead => Interlocked.Read(ref _bytesRead);
    public long Writes => Interlocked.Read(ref _writes);
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);
    public long Flushes => Interlocked.Read(ref _flushes);
    public long Trims => Interlocked.Read(ref _trims);
    public long BytesTrimmed => Interlocked.Read(ref _bytesTrimmed);

    public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _reads);
        Interlocked.Add(ref _bytesRead, buffer.Length);
        return Next.ReadAsync(offset, buffer, ct);
    }

    public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _bytesWritten, data.Length);
        return Next.WriteAsync(offset, data, ct);
    }

    public override ValueTask FlushAsync(CancellationToken ct = default)
    {
        Interlocked.Increment(ref _flushes);
        return Next.FlushAsync(ct);
    }

    public override ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _trims);
        Interlocked.Add(ref _bytesTrimmed, length);
        return Next.TrimAsync(offset, length, ct);
    }

    /// <summary>Sets every counter back to zero (e.g. between a warm-up and the measured pass).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _bytesRead, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _bytesWritten, 0);
        Interlocked.Exchange(ref _flushes, 0);
        Interlocked.Exchange(ref _trims, 0);
        Interlocked.Exchange(ref _bytesTrimmed, 0);
    }

    public override string ToString()
        => $"reads {Reads} ({BytesRead} B), writes {Writes} ({BytesWritten} B), flushes {Flushes}, trims {Trims} ({BytesTrimmed} B)";
}
