using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>
/// The first <see cref="Length"/> bytes of an image file, byte for byte: a raw image is all of
/// its file, a fixed VHD all of it but the trailing footer. Holes are reported as unallocated.
/// </summary>
public abstract class FileWindowDevice : IBlockDevice
{
    private protected readonly ImageFile _file;

    private protected FileWindowDevice(ImageFile file, long length)
    {
        _file = file;
        Length = length;
    }

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
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
