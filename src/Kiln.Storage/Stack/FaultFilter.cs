using Kiln.Storage.Blocks;

namespace Kiln.Storage.Stack;

/// <summary>
/// Injects device errors for tests: every request touching one of the configured ranges
/// fails with <see cref="BlockDeviceException"/>, and optionally every Nth request fails
/// wherever it lands (flaky remote storage). Switch it off with <see cref="Enabled"/>.
/// </summary>
public sealed class FaultFilter(IBlockDevice next, IReadOnlyList<Extent>? badRanges = null, int failEveryNth = 0, bool ownsNext = true)
    : BlockFilter(next, ownsNext)
{
    private long _requests;
    private long _faults;

    public bool Enabled { get; set; } = true;

    /// <summary>Requests failed so far.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        Check("read", offset, buffer.Length);
        return Next.ReadAsync(offset, buffer, ct);
    }

    public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        Check("write", offset, data.Length);
        return Next.WriteAsync(offset, data, ct);
    }

    private void Check(string op, long offset, long length)
    {
        long n = Interlocked.Increment(ref _requests);
        if (!Enabled) return;
        var request = new Extent(offset, Math.Max(length, 1));
        bool bad = badRanges?.Any(r => r.Overlaps(request)) == true || (failEveryNth > 0 && n % failEveryNth == 0);
        if (!bad) return;
        Interlocked.Increment(ref _faults);
        throw new BlockDeviceException($"fault filter: injected {op} error at {request} (request #{n})");
    }
}
