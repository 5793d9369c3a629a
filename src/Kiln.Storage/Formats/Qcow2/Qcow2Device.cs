using System.IO.Compression;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// A qcow2 image (versions 2 and 3), read-only: the active layer through the L1/L2 cluster map,
/// deflate-compressed clusters, zero clusters; unallocated clusters read as zeros. Runs of
/// clusters that are contiguous in the file are read with one request.
/// </summary>
public sealed class Qcow2Device : IBlockDevice
{
    private readonly ImageFile _file;
    private readonly Qcow2ClusterMap _map;
    private readonly int _clusterSize;
    private readonly Lock _lastLock = new();
    private (long Host, byte[]? Data) _lastDecompressed = (-1, null);

    private Qcow2Device(ImageFile file, Qcow2Header header, Qcow2ClusterMap map)
    {
        _file = file;
        Header = header;
        _map = map;
        _clusterSize = (int)header.ClusterSize;
        Length = header.VirtualSize;
    }

    public Qcow2Header Header { get; }
    public long Length { get; }
    public bool CanWrite => false;
    public int BlockSize => 512;

    /// <summary>Opens a qcow2 image; throws <see cref="CorruptImageException"/> naming the structure for anything invalid or unsupported.</summary>
    public static async Task<Qcow2Device> OpenAsync(string path, CancellationToken ct = default)
    {
        var file = ImageFile.Open(path, writable: false);
        Qcow2Device? device = null;
        try
        {
            device = await OpenAsync(file, ct).ConfigureAwait(false);
            return device;
        }
        finally
        {
            if (device is null) file.Dispose();
        }
    }

    internal static async Task<Qcow2Device> OpenAsync(ImageFile file, CancellationToken ct)
    {
        long fileLength = file.Length;
        var head = new byte[Math.Min(fileLength, Qcow2Header.ReadLength)];
        await file.ReadExactAsync(0, head, ct).ConfigureAwait(false);
        var header = Qcow2Header.Parse(head, fileLength);
        var map = await Qcow2ClusterMap.LoadAsync(file, header, ct).ConfigureAwait(false);
        return new Qcow2Device(file, header, map);
    }

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, _file.Path);
        int done = 0;
        // A pending run of data clusters that follow each other in the file: read with one request.
        int runStart = 0, runLength = 0;
        long runHost = 0;
        while (done < buffer.Length)
        {
            long pos = offset + done;
            int inCluster = (int)(pos & (_clusterSize - 1));
            int n = Math.Min(_clusterSize - inCluster, buffer.Length - done);
            var cluster = await _map.LookupAsync(pos >> Header.ClusterBits, ct).ConfigureAwait(false);
            if (cluster.Kind == Qcow2ClusterKind.Data && runLength > 0 && runHost + runLength == cluster.HostOffset + inCluster)
            {
                runLength += n;
            }
            else
            {
                if (runLength > 0) await ReadDataAsync(runHost, buffer.Slice(runStart, runLength), ct).ConfigureAwait(false);
                runLength = 0;
                var slice = buffer.Slice(done, n);
                switch (cluster.Kind)
                {
                    case Qcow2ClusterKind.Data:
                        (runStart, runLength, runHost) = (done, n, cluster.HostOffset + inCluster);
                        break;
                    case Qcow2ClusterKind.Compressed:
                        var data = await DecompressAsync(cluster, pos - inCluster, ct).ConfigureAwait(false);
                        data.AsMemory(inCluster, n).CopyTo(slice);
                        break;
                    default:
                        slice.Span.Clear();
                        break;
                }
            }
            done += n;
        }
        if (runLength > 0) await ReadDataAsync(runHost, buffer.Slice(runStart, runLength), ct).ConfigureAwait(false);
    }

    /// <summary>Reads data clusters; a last cluster cut short by the end of the file reads as zeros past it.</summary>
    private async ValueTask ReadDataAsync(long host, Memory<byte> target, CancellationToken ct)
    {
        int n = await _file.ReadUpToAsync(host, target, ct).ConfigureAwait(false);
        target.Span[n..].Clear();
    }

    private async ValueTask<byte[]> DecompressAsync(Qcow2Cluster cluster, long guestOffset, CancellationToken ct)
    {
        lock (_lastLock)
            if (_lastDecompressed.Host == cluster.HostOffset && _lastDecompressed.Data is { } hit) return hit;
        var compressed = new byte[cluster.CompressedLength];
        int got = await _file.ReadUpToAsync(cluster.HostOffset, compressed, ct).ConfigureAwait(false);
        var output = new byte[_clusterSize];
        int filled = 0;
        try
        {
            // qcow2 stores raw deflate (no zlib header); the output can never exceed one cluster.
            using var inflater = new DeflateStream(new MemoryStream(compressed, 0, got), CompressionMode.Decompress);
            while (filled < output.Length)
            {
                int n = inflater.Read(output, filled, output.Length - filled);
                if (n == 0) break;
                filled += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new CorruptImageException("qcow2 compressed cluster", cluster.HostOffset,
                $"deflate data for guest offset {guestOffset} is damaged: {e.Message}");
        }
        if (filled != output.Length)
            throw new CorruptImageException("qcow2 compressed cluster", cluster.HostOffset,
                $"deflate data for guest offset {guestOffset} inflates to {filled} bytes, not the {_clusterSize}-byte cluster.");
        lock (_lastLock) _lastDecompressed = (cluster.HostOffset, output);
        return output;
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        => throw new BlockDeviceReadOnlyException($"{_file.Path} (qcow2 is read-only in Kiln)");

    public ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;

    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default) => ValueTask.CompletedTask;

    /// <summary>Data and compressed clusters, merged and clipped to the disk; zero and unallocated clusters are left out.</summary>
    public async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var merger = new ExtentMerger();
        long perL2 = (long)_map.EntriesPerL2 * _clusterSize;
        for (int l1 = 0; l1 < _map.L1Count && (long)l1 * perL2 < Length; l1++)
        {
            var table = await _map.GetL2Async(l1, ct).ConfigureAwait(false);
            if (table is null) continue;
            for (int i = 0; i < table.Length; i++)
            {
                long start = l1 * perL2 + (long)i * _clusterSize;
                if (start >= Length) break;
                if (table[i] == 0) continue;
                var kind = _map.Decode(table[i], _map.EntryOffset(l1, i)).Kind;
                if (kind is not (Qcow2ClusterKind.Data or Qcow2ClusterKind.Compressed)) continue;
                var extent = new Extent(start, Math.Min(_clusterSize, Length - start));
                if (merger.Add(extent) is { } done) yield return done;
            }
        }
        if (merger.Finish() is { } last) yield return last;
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }
}
