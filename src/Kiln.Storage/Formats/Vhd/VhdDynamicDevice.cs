using System.Buffers.Binary;
using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// A dynamic VHD (VHD Image Format Specification, "Dynamic Hard Disk Image"). Unallocated blocks
/// and sectors whose bit is clear in the block's sector bitmap read as zeros. A write to an
/// unallocated block appends the block where the trailing footer was, updates the BAT and
/// rewrites the footer at the new end. Reads may run concurrently; writes are serialized.
/// </summary>
public sealed class VhdDynamicDevice : IBlockDevice
{
    private readonly ImageFile _file;
    private readonly VhdBlockAllocationTable _bat;
    private readonly VhdSectorBitmaps _bitmaps;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _blockSize;
    private long _nextFree;

    private VhdDynamicDevice(ImageFile file, VhdFooter footer, VhdDynamicHeader header, VhdBlockAllocationTable bat, long metadataEnd)
    {
        _file = file;
        Footer = footer;
        Header = header;
        _bat = bat;
        _blockSize = (int)header.BlockSize;
        _bitmaps = new VhdSectorBitmaps(file, _blockSize);
        _nextFree = bat.EndOfBlocks(_bitmaps.BitmapBytes + _blockSize, metadataEnd);
        Length = footer.CurrentSize;
    }

    public VhdFooter Footer { get; }
    public VhdDynamicHeader Header { get; }
    internal VhdBlockAllocationTable Bat => _bat;
    /// <summary>Bytes one allocated block takes in the file: its sector bitmap plus its data.</summary>
    internal long BlockSpan => _bitmaps.BitmapBytes + _blockSize;
    public long Length { get; }
    public bool CanWrite => _file.Writable;
    public int BlockSize => 512;

    internal static async Task<VhdDynamicDevice> OpenAsync(ImageFile file, VhdFooter footer, bool rewriteFooter, CancellationToken ct)
    {
        long fileLength = file.Length;
        long headerOffset = (long)Math.Min(footer.DataOffset, long.MaxValue);
        if (headerOffset < VhdFooter.Size || headerOffset > fileLength - VhdDynamicHeader.Size)
            throw new CorruptImageException("VHD footer", fileLength - VhdFooter.Size + 16,
                $"data offset {footer.DataOffset} does not leave room for the 1024-byte dynamic header in the {fileLength}-byte file.");
        var raw = new byte[VhdDynamicHeader.Size];
        await file.ReadExactAsync(headerOffset, raw, ct).ConfigureAwait(false);
        var header = VhdDynamicHeader.Parse(raw, headerOffset, footer.CurrentSize, fileLength);

        long blocks = (footer.CurrentSize + header.BlockSize - 1) / header.BlockSize;
        long tableEnd = header.TableOffset + (header.MaxTableEntries * 4L + 511) / 512 * 512;
        long metadataEnd = Math.Max(tableEnd, headerOffset + VhdDynamicHeader.Size);
        long bitmapBytes = VhdSectorBitmaps.BitmapBytesFor((int)header.BlockSize);
        Extent[] metadata = [new(0, VhdFooter.Size), new(headerOffset, VhdDynamicHeader.Size), new(header.TableOffset, tableEnd - header.TableOffset)];
        var bat = await VhdBlockAllocationTable.ReadAsync(file, header.TableOffset, blocks, bitmapBytes + header.BlockSize, metadata, ct)
            .ConfigureAwait(false);
        var device = new VhdDynamicDevice(file, footer, header, bat, metadataEnd);
        if (rewriteFooter && file.Writable)
            await device.WriteTrailingFooterAsync(ct).ConfigureAwait(false);
        return device;
    }

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, _file.Path);
        int done = 0;
        while (done < buffer.Length)
        {
            long pos = offset + done;
            int block = (int)(pos / _blockSize);
            int inBlock = (int)(pos % _blockSize);
            int n = Math.Min(_blockSize - inBlock, buffer.Length - done);
            var slice = buffer.Slice(done, n);
            uint entry = _bat[block];
            if (entry == VhdBlockAllocationTable.Unallocated)
                slice.Span.Clear();
            else
                await ReadBlockAsync(DataStart(entry), entry, inBlock, slice, ct).ConfigureAwait(false);
            done += n;
        }
    }

    private long DataStart(uint entry) => (long)entry * 512 + _bitmaps.BitmapBytes;

    private async ValueTask ReadBlockAsync(long dataStart, uint entry, int inBlock, Memory<byte> slice, CancellationToken ct)
    {
        var bitmap = await _bitmaps.GetAsync(entry, ct).ConfigureAwait(false);
        if (bitmap is null)
        {
            await _file.ReadExactAsync(dataStart + inBlock, slice, ct).ConfigureAwait(false);
            return;
        }
        // A partial bitmap (written by another tool): sectors whose bit is clear hold no data.
        int done = 0;
        while (done < slice.Length)
        {
            int at = inBlock + done;
            int sector = at / 512;
            bool present = VhdSectorBitmaps.IsSet(bitmap, sector);
            int runEnd = sector + 1;
            while (runEnd * 512 < inBlock + slice.Length && VhdSectorBitmaps.IsSet(bitmap, runEnd) == present) runEnd++;
            int n = Math.Min(runEnd * 512, inBlock + slice.Length) - at;
            if (present) await _file.ReadExactAsync(dataStart + at, slice.Slice(done, n), ct).ConfigureAwait(false);
            else slice.Span.Slice(done, n).Clear();
            done += n;
        }
    }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (!CanWrite) throw new BlockDeviceReadOnlyException(_file.Path);
        this.CheckRange(offset, data.Length, _file.Path);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            int done = 0;
            while (done < data.Length)
            {
                long pos = offset + done;
                int block = (int)(pos / _blockSize);
                int inBlock = (int)(pos % _blockSize);
                int n = Math.Min(_blockSize - inBlock, data.Length - done);
                var slice = data.Slice(done, n);
                done += n;
                uint entry = _bat[block];
                if (entry == VhdBlockAllocationTable.Unallocated)
                {
                    if (slice.Span.IndexOfAnyExcept((byte)0) < 0) continue; // zeros into a hole: nothing to do
                    entry = await AllocateBlockAsync(block, ct).ConfigureAwait(false);
                }
                else if (await _bitmaps.GetAsync(entry, ct).ConfigureAwait(false) is { } partial)
                {
                    await MaterializeAsync(entry, partial, ct).ConfigureAwait(false);
                }
                await _file.WriteAsync(DataStart(entry) + inBlock, slice, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Appends a block at the end of the blocks: a full sector bitmap (like qemu, every sector
    /// counts as written) and a data area left as a hole (reads zeros), then moves the footer
    /// after it and finally points the BAT entry at it, so a crash leaves at worst an unused block.
    /// </summary>
    private async Task<uint> AllocateBlockAsync(int block, CancellationToken ct)
    {
        long start = _nextFree;
        long end = start + _bitmaps.BitmapBytes + _blockSize;
        if (start / 512 >= VhdBlockAllocationTable.Unallocated)
            throw new BlockDeviceException($"{_file.Path}: the VHD file would pass the 2 TiB a BAT sector number can address.");
        _file.SetLength(end + VhdFooter.Size);
        await _file.WriteAsync(start, VhdSectorBitmaps.Full(_bitmaps.BitmapBytes), ct).ConfigureAwait(false);
        _nextFree = end;
        await WriteTrailingFooterAsync(ct).ConfigureAwait(false);
        uint entry = (uint)(start / 512);
        var raw = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(raw, entry);
        await _file.WriteAsync(Header.TableOffset + block * 4L, raw, ct).ConfigureAwait(false);
        _bat[block] = entry;
        _bitmaps.MarkFull(entry);
        return entry;
    }

    /// <summary>Zeroes the sectors a foreign writer left out of a block, then marks the whole block written.</summary>
    private async Task MaterializeAsync(uint entry, byte[] bitmap, CancellationToken ct)
    {
        long dataStart = DataStart(entry);
        var zeros = new byte[512];
        for (int sector = 0; sector < _blockSize / 512; sector++)
            if (!VhdSectorBitmaps.IsSet(bitmap, sector))
                await _file.WriteAsync(dataStart + sector * 512L, zeros, ct).ConfigureAwait(false);
        await _file.WriteAsync((long)entry * 512, VhdSectorBitmaps.Full(_bitmaps.BitmapBytes), ct).ConfigureAwait(false);
        _bitmaps.MarkFull(entry);
    }

    private async Task WriteTrailingFooterAsync(CancellationToken ct)
    {
        _file.SetLength(_nextFree + VhdFooter.Size);
        await _file.WriteAsync(_nextFree, Footer.ToBytes(), ct).ConfigureAwait(false);
    }

    public ValueTask FlushAsync(CancellationToken ct = default)
    {
        _file.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default) => ValueTask.CompletedTask;

    /// <summary>Allocated blocks, narrowed to the sectors their bitmaps mark as written; merged and clipped to the disk.</summary>
    public async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var merger = new ExtentMerger();
        for (int block = 0; block < _bat.Count; block++)
        {
            uint entry = _bat[block];
            if (entry == VhdBlockAllocationTable.Unallocated) continue;
            long blockStart = (long)block * _blockSize;
            var bitmap = await _bitmaps.GetAsync(entry, ct).ConfigureAwait(false);
            foreach (var run in VhdSectorBitmaps.SetRuns(bitmap, _blockSize / 512))
            {
                long start = blockStart + run.Offset * 512, end = Math.Min(blockStart + run.End * 512, Length);
                if (end > start && merger.Add(new Extent(start, end - start)) is { } done) yield return done;
            }
        }
        if (merger.Finish() is { } last) yield return last;
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
