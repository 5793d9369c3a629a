using Kiln.Storage.Blocks;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Storage.Stack;

/// <summary>
/// A sparse scratch file used as a device (e.g. a copy-on-write overlay too large for memory).
/// The file is deleted when the device is disposed, and by the OS if the process dies first.
/// </summary>
public sealed class TempFileBlockDevice : IBlockDevice
{
    private readonly SafeFileHandle _handle;

    private TempFileBlockDevice(SafeFileHandle handle, string path, long length)
    {
        _handle = handle;
        Path = path;
        Length = length;
    }

    /// <param name="directory">Where to put the file; the system temp directory by default.</param>
    public static TempFileBlockDevice Create(long length, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var path = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"kiln-overlay-{Guid.NewGuid():N}.tmp");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        RandomAccess.SetLength(handle, length); // sparse: no blocks are allocated until written
        return new TempFileBlockDevice(handle, path, length);
    }

    public string Path { get; }
    public long Length { get; }
    public bool CanWrite => true;
    public int BlockSize => 4096;

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        this.CheckRange(offset, buffer.Length, Path);
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await RandomAccess.ReadAsync(_handle, buffer[done..], offset + done, ct).ConfigureAwait(false);
            if (n == 0) throw new BlockDeviceException($"{Path}: unexpected end of file at offset {offset + done}.");
            done += n;
        }
    }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        this.CheckRange(offset, data.Length, Path);
        await RandomAccess.WriteAsync(_handle, data, offset, ct).ConfigureAwait(false);
    }

    // Scratch data need not survive a crash: nothing to make durable.
    public ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;

    public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default)
    {
        this.CheckRange(offset, length, Path);
        return ValueTask.CompletedTask;
    }

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
