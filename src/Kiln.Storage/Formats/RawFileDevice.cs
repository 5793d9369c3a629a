using Kiln.Storage.Blocks;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Storage.Formats;

/// <summary>A raw disk image file: byte N of the device is byte N of the file.</summary>
public sealed class RawFileDevice : IBlockDevice
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;

    private RawFileDevice(SafeFileHandle handle, string path, long length, bool canWrite)
    {
        _handle = handle;
        _path = path;
        Length = length;
        CanWrite = canWrite;
    }

    public static RawFileDevice Open(string path, bool writable = false)
    {
        var handle = File.OpenHandle(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read,
            FileShare.Read, FileOptions.Asynchronous);
        return new RawFileDevice(handle, path, RandomAccess.GetLength(handle), writable);
    }

    /// <summary>Creates a sparse raw file of <paramref name="length"/> bytes.</summary>
    public static RawFileDevice Create(string path, long length)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous);
        RandomAccess.SetLength(handle, length);
        return new RawFileDevice(handle, path, length, true);
    }

    public long Length { get; }
    public bool CanWrite { get; }
    public int BlockSize => 512;

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, _path);
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await RandomAccess.ReadAsync(_handle, buffer[done..], offset + done, ct).ConfigureAwait(false);
            if (n == 0) throw new BlockDeviceException($"{_path}: unexpected end of file at offset {offset + done}.");
            done += n;
        }
    }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (!CanWrite) throw new BlockDeviceReadOnlyException(_path);
        this.CheckRange(offset, data.Length, _path);
        await RandomAccess.WriteAsync(_handle, data, offset, ct).ConfigureAwait(false);
    }

    public ValueTask FlushAsync(CancellationToken ct = default)
    {
        if (CanWrite) RandomAccess.FlushToDisk(_handle);
        return ValueTask.CompletedTask;
    }

    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default) => ValueTask.CompletedTask;

    // TODO(formats): report holes via lseek(SEEK_DATA/SEEK_HOLE); until then the whole file counts as allocated.
    public async IAsyncEnumerable<Extent> GetAllocatedExtentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        if (Length > 0) yield return new Extent(0, Length);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
