using Kiln.Storage.Blocks;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Storage.Formats;

/// <summary>
/// The host file under a format: positional reads and writes (RandomAccess, no shared file
/// position, safe for concurrent requests) with errors naming the file. I/O is done inline with
/// pread/pwrite: Linux has no asynchronous buffered file I/O, so .NET's "async" file calls only
/// move the same blocking call to another pool thread, and those hops cost more than page-cache
/// copies when the machine is busy.
/// </summary>
internal sealed class ImageFile : IDisposable
{
    private ImageFile(SafeFileHandle handle, string path, bool writable)
    {
        Handle = handle;
        Path = path;
        Writable = writable;
    }

    public SafeFileHandle Handle { get; }
    public string Path { get; }
    public bool Writable { get; }
    public long Length => RandomAccess.GetLength(Handle);

    public static ImageFile Open(string path, bool writable) =>
        new(File.OpenHandle(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read,
            writable ? FileShare.Read : FileShare.ReadWrite, FileOptions.None), path, writable);

    public static ImageFile Create(string path, bool overwrite = false) =>
        new(File.OpenHandle(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, FileOptions.None), path, true);

    /// <summary>Reads exactly buffer.Length bytes; a short file is an error naming the offset.</summary>
    public ValueTask ReadExactAsync(long offset, Memory<byte> buffer, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var span = buffer.Span;
        int done = 0;
        while (done < span.Length)
        {
            int n = RandomAccess.Read(Handle, span[done..], offset + done);
            if (n == 0) throw new BlockDeviceException($"{Path}: unexpected end of file at offset {offset + done} (file is {Length} bytes).");
            done += n;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads up to buffer.Length bytes, stopping at end of file; returns the count.</summary>
    public ValueTask<int> ReadUpToAsync(long offset, Memory<byte> buffer, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var span = buffer.Span;
        int done = 0;
        while (done < span.Length)
        {
            int n = RandomAccess.Read(Handle, span[done..], offset + done);
            if (n == 0) break;
            done += n;
        }
        return ValueTask.FromResult(done);
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        RandomAccess.Write(Handle, data.Span, offset);
        return ValueTask.CompletedTask;
    }

    public void SetLength(long length) => RandomAccess.SetLength(Handle, length);

    public void Flush()
    {
        if (Writable) RandomAccess.FlushToDisk(Handle);
    }

    public void Dispose() => Handle.Dispose();
}
