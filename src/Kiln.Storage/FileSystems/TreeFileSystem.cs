using Kiln.Storage.Blocks;

namespace Kiln.Storage.FileSystems;

/// <summary>
/// Path walking shared by every file system: components, "..", symlinks (with a hop limit) and
/// the <see cref="IFileSystem"/> calls on top of four primitives a file system provides.
/// </summary>
/// <typeparam name="TNode">What one file is to this file system (an inode, a FAT directory entry, an MFT record).</typeparam>
public abstract class TreeFileSystem<TNode> : IFileSystem where TNode : class
{
    public abstract string Type { get; }
    public abstract string Label { get; }

    protected abstract TNode Root { get; }

    /// <summary>How names compare: ordinal for ext4, case-insensitive for FAT and NTFS.</summary>
    protected virtual StringComparison NameComparison => StringComparison.Ordinal;

    protected abstract FileSystemEntry Describe(TNode node, string name);

    /// <summary>Entries of a directory, without "." and "..".</summary>
    protected abstract Task<IReadOnlyList<(string Name, TNode Node)>> ReadDirectoryAsync(TNode directory, CancellationToken ct);

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns how many (fewer at end of file).</summary>
    protected abstract Task<int> ReadAsync(TNode file, long offset, Memory<byte> buffer, CancellationToken ct);

    /// <summary>The target of a symlink; file systems without symlinks keep the default.</summary>
    protected virtual Task<string> ReadLinkAsync(TNode link, CancellationToken ct) =>
        throw new NotSupportedException($"{Type} has no symbolic links.");

    protected virtual async Task<TNode?> LookupAsync(TNode directory, string name, CancellationToken ct)
    {
        foreach (var (n, node) in await ReadDirectoryAsync(directory, ct).ConfigureAwait(false))
            if (string.Equals(n, name, NameComparison)) return node;
        return null;
    }

    /// <summary>Resolves a path, following symlinks in every component (and the last one when <paramref name="followLast"/>).</summary>
    protected async Task<(TNode Node, string Name)?> ResolveAsync(string path, bool followLast, CancellationToken ct)
    {
        var pending = FileSystemPath.Split(path);
        pending.Reverse(); // a stack: the next component is at the end
        var stack = new List<(TNode Node, string Name)> { (Root, "/") };
        int hops = 0;
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            string name = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (name == "..")
            {
                if (stack.Count > 1) stack.RemoveAt(stack.Count - 1);
                continue;
            }
            var current = stack[^1];
            if (Describe(current.Node, current.Name).Kind != FileSystemEntryKind.Directory) return null;
            var child = await LookupAsync(current.Node, name, ct).ConfigureAwait(false);
            if (child is null) return null;
            var kind = Describe(child, name).Kind;
            if (kind == FileSystemEntryKind.Symlink && (pending.Count > 0 || followLast))
            {
                if (++hops > FileSystemLimits.MaxSymlinkHops)
                    throw new IOException($"{Type}: too many levels of symbolic links resolving '{path}' (more than {FileSystemLimits.MaxSymlinkHops}); the links form a loop.");
                string target = await ReadLinkAsync(child, ct).ConfigureAwait(false);
                if (target.StartsWith('/')) stack.RemoveRange(1, stack.Count - 1);
                var parts = FileSystemPath.Split(target);
                if (pending.Count + parts.Count > FileSystemLimits.MaxPathComponents * 4)
                    throw new IOException($"{Type}: symbolic links expand '{path}' beyond {FileSystemLimits.MaxPathComponents * 4} components.");
                for (int i = parts.Count - 1; i >= 0; i--) pending.Add(parts[i]);
                continue;
            }
            stack.Add((child, name));
        }
        return stack[^1];
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken ct = default) =>
        await ResolveAsync(path, followLast: false, ct).ConfigureAwait(false) is not null;

    public async Task<FileSystemEntry?> StatAsync(string path, CancellationToken ct = default) =>
        await ResolveAsync(path, followLast: true, ct).ConfigureAwait(false) is { } r ? Describe(r.Node, r.Name) : null;

    /// <summary>The target of the symlink at <paramref name="path"/> (not followed); null when it is not a symlink.</summary>
    public async Task<string?> ReadLinkAsync(string path, CancellationToken ct = default)
    {
        if (await ResolveAsync(path, followLast: false, ct).ConfigureAwait(false) is not { } r) return null;
        return Describe(r.Node, r.Name).Kind == FileSystemEntryKind.Symlink ? await ReadLinkAsync(r.Node, ct).ConfigureAwait(false) : null;
    }

    public async Task<IReadOnlyList<FileSystemEntry>> ListDirectoryAsync(string path, CancellationToken ct = default)
    {
        var r = await ResolveAsync(path, followLast: true, ct).ConfigureAwait(false)
            ?? throw new DirectoryNotFoundException($"{Type}: directory '{path}' does not exist.");
        if (Describe(r.Node, r.Name).Kind != FileSystemEntryKind.Directory)
            throw new DirectoryNotFoundException($"{Type}: '{path}' is not a directory.");
        var entries = await ReadDirectoryAsync(r.Node, ct).ConfigureAwait(false);
        return entries.Select(e => Describe(e.Node, e.Name)).ToList();
    }

    public async Task<byte[]> ReadFileAsync(string path, long maxBytes = FileSystemLimits.DefaultMaxFileBytes, CancellationToken ct = default)
    {
        var (node, name) = await ResolveFileAsync(path, ct).ConfigureAwait(false);
        long size = Describe(node, name).Size;
        if (size > maxBytes || size > Array.MaxLength)
            throw new IOException($"{Type}: '{path}' is {size} bytes, more than the {maxBytes} bytes this read allows (use ReadFileRangeAsync).");
        var buffer = new byte[size];
        int n = await ReadAsync(node, 0, buffer, ct).ConfigureAwait(false);
        return n == buffer.Length ? buffer : buffer[..n];
    }

    public async Task<byte[]> ReadFileRangeAsync(string path, long offset, int length, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var (node, name) = await ResolveFileAsync(path, ct).ConfigureAwait(false);
        long size = Describe(node, name).Size;
        if (offset >= size) return [];
        var buffer = new byte[(int)Math.Min(length, size - offset)];
        int n = await ReadAsync(node, offset, buffer, ct).ConfigureAwait(false);
        return n == buffer.Length ? buffer : buffer[..n];
    }

    private async Task<(TNode Node, string Name)> ResolveFileAsync(string path, CancellationToken ct)
    {
        var r = await ResolveAsync(path, followLast: true, ct).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"{Type}: file '{path}' does not exist.", path);
        if (Describe(r.Node, r.Name).Kind == FileSystemEntryKind.Directory)
            throw new IOException($"{Type}: '{path}' is a directory, not a file.");
        return r;
    }

    /// <summary>Reads a range of the device, turning out-of-range into a corruption error that names the structure.</summary>
    protected static async Task<byte[]> ReadDeviceAsync(IBlockDevice device, string structure, long offset, int length, CancellationToken ct)
    {
        if (offset < 0 || length < 0 || offset > device.Length - length)
            throw new CorruptImageException(structure, offset, $"{length} bytes here lie outside the volume ({device.Length} bytes).");
        return await device.ReadBytesAsync(offset, length, ct).ConfigureAwait(false);
    }
}
