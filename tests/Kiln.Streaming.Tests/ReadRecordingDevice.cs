using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Tests;

/// <summary>Records every read that reaches the device below; optionally fails one chosen read (a disk error mid-publish).</summary>
public sealed class ReadRecordingDevice(IBlockDevice next, Func<Extent, int, bool>? failWhen = null) : BlockFilter(next)
{
    private readonly List<Extent> _reads = [];

    public IReadOnlyList<Extent> Reads { get { lock (_reads) return _reads.ToArray(); } }

    public override ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        var e = new Extent(offset, buffer.Length);
        int count;
        lock (_reads)
        {
            _reads.Add(e);
            count = _reads.Count(r => r == e);
        }
        if (failWhen?.Invoke(e, count) == true)
            throw new BlockDeviceException($"test: injected read error at {e}.");
        return base.ReadAsync(offset, buffer, ct);
    }
}
