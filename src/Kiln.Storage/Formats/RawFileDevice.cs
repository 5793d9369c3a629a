using Kiln.Storage.Blocks;

namespace Kiln.Storage.Formats;

/// <summary>A raw disk image file: byte N of the device is byte N of the file. Holes are reported as unallocated.</summary>
public sealed class RawFileDevice : IBlockDevice
{
    private readonly ImageFile _file;

    private RawFileDevice(ImageFile file, long length)
    {
        _file = file;
        Length = length;
    }

    public static RawFileDevice Open(string path, bool writable = false)
    {
        var file = ImageFile.Open(path, writable);
        return new RawFileDevice(file, file.Length);
    }

    /// <summary>Creates a sparse raw file of <paramref name="length"/> bytes.</summary>
    public static RawFileDevice Create(string path, long length, bool overwrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var file = ImageFile.Create(path, overwrite);
        file.SetLength(length);
        return new RawFileDevice(file, length);
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
        return ValueTask.CompletedTask;
    }
}
