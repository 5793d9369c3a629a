using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// A fixed VHD: the disk's bytes, then the 512-byte footer (VHD Image Format Specification,
/// "Fixed Hard Disk Image"). Holes in the host file are reported as unallocated.
/// </summary>
public sealed class VhdFixedDevice : IBlockDevice
{
    private readonly ImageFile _file;

    internal VhdFixedDevice(ImageFile file, VhdFooter footer)
    {
        _file = file;
        Footer = footer;
        Length = footer.CurrentSize;
    }

    public VhdFooter Footer { get; }
    public long Length { get; }
    public bool CanWrite => _file.Writable;
    public int BlockSize => 512;

    public ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, _file.Path);
        return _file.ReadExactAsync(offset, buffer, ct);
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (!CanWrite) throw new BlockDeviceReadOnlyException(_file.Path);
        this.CheckRange(offset, data.Length, _file.Path);
        return _file.WriteAsync(offset, data, ct);
    }

    public ValueTask FlushAsync(CancellationToken ct = default)
    {
        _file.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default) => ValueTask.CompletedTask;

    public async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var extent in FileExtents.Data(_file.Handle, 0, Length))
        {
            ct.ThrowIfCancellationRequested();
            yield return extent;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }
}
