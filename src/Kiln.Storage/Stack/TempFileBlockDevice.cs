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

    // Synchronous on purpose: .NET has no asynchronous file I/O on Linux, so RandomAccess.ReadAsync
    // queues each call to a pool thread. A local scratch file answers from the page cache faster than
    // that hop, and a completed ValueTask lets the NBD server answer the request inline.
    public ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        this.CheckRange(offset, buffer.Length, Path);
        var span = buffer.Span;
        int done = 0;
        while (done < span.Length)
        {
            int n = RandomAccess.Read(_handle, span[done..], offset + done);
            if (n == 0) throw new BlockDeviceException($"{Path}: unexpected end of file at offset {offset + done}.");
            done += n;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        this.CheckRange(offset, data.Length, Path);
        RandomAccess.Write(_handle, data.Span, offset);
        return ValueTask.CompletedTask;
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
