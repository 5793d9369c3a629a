using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>
/// The bytes of one attribute (resident, or non-resident pieces from several records merged in
/// VCN order). Past the initialized size reads as zeros; sparse runs too.
/// </summary>
internal sealed class NtfsStream
{
    private readonly IBlockDevice _device;
    private readonly int _clusterSize;
    private readonly byte[]? _resident;
    private readonly List<NtfsDataRun> _runs;

    public NtfsStream(IBlockDevice device, int clusterSize, IReadOnlyList<NtfsAttribute> pieces, string what, bool partial = false)
    {
        _device = device;
        _clusterSize = clusterSize;
        var first = pieces.FirstOrDefault(p => p.StartVcn == 0) ?? pieces[0];
        if (first.IsCompressed || first.IsEncrypted)
            throw new NotSupportedException($"NTFS: {what} is {(first.IsCompressed ? "compressed" : "encrypted")}, which this reader does not decode.");
        Length = first.DataSize;
        InitializedLength = first.InitializedSize;
        if (first.IsResident)
        {
            _resident = first.ResidentValue;
            _runs = [];
            return;
        }
        _runs = pieces.Where(p => !p.IsResident).OrderBy(p => p.StartVcn).SelectMany(p => p.Runs).ToList();
        for (int i = 1; i < _runs.Count; i++)
            if (_runs[i].Vcn != _runs[i - 1].Vcn + _runs[i - 1].Count)
                throw new CorruptImageException("NTFS data runs", 0, $"{what}: runs jump from VCN {_runs[i - 1].Vcn + _runs[i - 1].Count} to {_runs[i].Vcn} (missing or overlapping attribute pieces).");
        long mapped = _runs.Count == 0 ? 0 : (_runs[^1].Vcn + _runs[^1].Count) * (long)clusterSize;
        if (InitializedLength > mapped && !partial)
            throw new CorruptImageException("NTFS data runs", 0, $"{what}: {InitializedLength} initialized bytes but the runs map only {mapped}.");
    }

    public long Length { get; }
    public long InitializedLength { get; }

    public async Task<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct)
    {
        if (offset >= Length) return 0;
        int total = (int)Math.Min(buffer.Length, Length - offset);
        if (_resident is not null)
        {
            int avail = (int)Math.Max(0, Math.Min(total, _resident.Length - offset));
            _resident.AsMemory((int)offset, avail).CopyTo(buffer);
            buffer.Slice(avail, total - avail).Span.Clear();
            return total;
        }
        int done = 0;
        int runIndex = 0;
        while (done < total)
        {
            long pos = offset + done;
            if (pos >= InitializedLength)
            {
                buffer.Slice(done, total - done).Span.Clear();
                break;
            }
            long vcn = pos / _clusterSize;
            while (runIndex < _runs.Count && _runs[runIndex].Vcn + _runs[runIndex].Count <= vcn) runIndex++;
            if (runIndex >= _runs.Count)
                throw new CorruptImageException("NTFS data runs", 0, $"VCN {vcn} is not mapped by any run.");
            var run = _runs[runIndex];
            long inRun = pos - run.Vcn * _clusterSize;
            int n = (int)Math.Min(Math.Min(run.Count * (long)_clusterSize - inRun, total - done), InitializedLength - pos);
            var slice = buffer.Slice(done, n);
            if (run.IsSparse) slice.Span.Clear();
            else
            {
                long at = run.Lcn * _clusterSize + inRun;
                if (at < 0 || at > _device.Length - n)
                    throw new CorruptImageException("NTFS data runs", at, $"cluster {run.Lcn} lies outside the volume.");
                await _device.ReadAsync(at, slice, ct).ConfigureAwait(false);
            }
            done += n;
        }
        return total;
    }
}
