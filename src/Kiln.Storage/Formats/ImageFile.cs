using Kiln.Storage.Blocks;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Storage.Formats;

/// <summary>
/// The host file under a format: positional reads and writes (RandomAccess, no shared file
/// position, safe for concurrent requests) with errors naming the file.
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
            writable ? FileShare.Read : FileShare.ReadWrite, FileOptions.Asynchronous), path, writable);

    public static ImageFile Create(string path, bool overwrite = false) =>
        new(File.OpenHandle(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, FileOptions.Asynchronous), path, true);

    /// <summary>Reads exactly buffer.Length bytes; a short file is an error naming the offset.</summary>
    public async ValueTask ReadExactAsync(long offset, Memory<byte> buffer, CancellationToken ct)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await RandomAccess.ReadAsync(Handle, buffer[done..], offset + done, ct).ConfigureAwait(false);
            if (n == 0) throw new BlockDeviceException($"{Path}: unexpected end of file at offset {offset + done} (file is {Length} bytes).");
            done += n;
        }
    }

    /// <summary>Reads up to buffer.Length bytes, stopping at end of file; returns the count.</summary>
    public async ValueTask<int> ReadUpToAsync(long offset, Memory<byte> buffer, CancellationToken ct)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await RandomAccess.ReadAsync(Handle, buffer[done..], offset + done, ct).ConfigureAwait(false);
            if (n == 0) break;
            done += n;
        }
        return done;
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct)
        => RandomAccess.WriteAsync(Handle, data, offset, ct);

    public void SetLength(long length) => RandomAccess.SetLength(Handle, length);

    public void Flush()
    {
        if (Writable) RandomAccess.FlushToDisk(Handle);
    }

    public void Dispose() => Handle.Dispose();
}
