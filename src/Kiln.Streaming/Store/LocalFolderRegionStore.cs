using System.Runtime.CompilerServices;

namespace Kiln.Streaming.Store;

/// <summary>
/// A region kept in a local folder: key "a/b/c" is the file &lt;root&gt;/a/b/c. Puts write a
/// dot-named temporary beside the target and rename it over the target, so an object is either
/// absent or complete; <see cref="ListAsync"/> never shows the temporaries.
/// </summary>
public sealed class LocalFolderRegionStore : IRegionStore
{
    private readonly string _root;

    public LocalFolderRegionStore(string root, string? name = null)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
        Name = name ?? Path.GetFileName(_root.TrimEnd(Path.DirectorySeparatorChar));
    }

    public string Name { get; }

    /// <summary>The folder holding this region's objects.</summary>
    public string Root => _root;

    /// <summary>The file that holds <paramref name="key"/> (whether or not it exists); for tests and tools.</summary>
    public string PathOf(string key)
    {
        RegionKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    public ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default)
        => ValueTask.FromResult(File.Exists(PathOf(key)));

    public ValueTask<long?> GetLengthAsync(string key, CancellationToken ct = default)
    {
        var info = new FileInfo(PathOf(key));
        return ValueTask.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public async ValueTask<int> ReadAsync(string key, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RegionObjectNotFoundException(Name, key);
        }
        using (handle)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                int n = await RandomAccess.ReadAsync(handle, buffer[done..], offset + done, ct).ConfigureAwait(false);
                if (n == 0) break;
                done += n;
            }
            return done;
        }
    }

    public async ValueTask PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        var target = PathOf(key);
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, 1 << 20, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            // After a successful move the temporary no longer exists; after a failure it must go.
            File.Delete(temp);
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Start the walk at the deepest folder the prefix names, so listing one chunk bucket stays cheap.
        int slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start)) yield break;
        foreach (var path in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.Split('/').Any(s => s.StartsWith('.'))) continue;
            if (key.StartsWith(prefix, StringComparison.Ordinal)) yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return ValueTask.FromResult(false);
        File.Delete(path);
        return ValueTask.FromResult(true);
    }

    public async IAsyncEnumerable<RegionObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var key in ListAsync(prefix, ct).ConfigureAwait(false))
        {
            var info = new FileInfo(PathOf(key));
            if (!info.Exists) continue; // deleted since the walk saw it
            yield return new RegionObject(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        }
    }

    public ValueTask<bool> TouchAsync(string key, CancellationToken ct = default)
    {
        try
        {
            File.SetLastWriteTimeUtc(PathOf(key), DateTime.UtcNow);
            return ValueTask.FromResult(true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult(false);
        }
    }

    /// <summary>
    /// A folder has no conditional delete, so the object is first renamed to a dot-name (atomic; a
    /// touch or a reader from then on finds it absent, and a writer stores it again), and only then
    /// is its age read: still old → deleted; touched just before the rename → renamed back. Restoring
    /// over a copy a writer stored meanwhile is harmless: collected keys are content addresses, so
    /// both copies hold the same bytes.
    /// </summary>
    public ValueTask<bool> DeleteIfUnmodifiedSinceAsync(string key, DateTimeOffset cutoff, CancellationToken ct = default)
    {
        var target = PathOf(key);
        var aside = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.gc");
        try
        {
            File.Move(target, aside);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult(false);
        }
        if (new DateTimeOffset(File.GetLastWriteTimeUtc(aside), TimeSpan.Zero) > cutoff)
        {
            File.Move(aside, target, overwrite: true);
            return ValueTask.FromResult(false);
        }
        File.Delete(aside);
        return ValueTask.FromResult(true);
    }

    public override string ToString() => $"{Name} ({_root})";
}
