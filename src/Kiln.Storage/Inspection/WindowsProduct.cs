using Kiln.Storage.FileSystems;

namespace Kiln.Storage.Inspection;

/// <summary>The Windows product from the SOFTWARE hive: Microsoft\Windows NT\CurrentVersion ProductName (+ DisplayVersion).</summary>
internal static class WindowsProduct
{
    public const string SoftwareHive = @"\Windows\System32\config\SOFTWARE";

    public static async Task<string?> TryReadAsync(IFileSystem fs, CancellationToken ct)
    {
        try
        {
            if (await fs.StatAsync(SoftwareHive, ct).ConfigureAwait(false) is not { Kind: FileSystemEntryKind.File } hive) return null;
            var reg = await RegistryHive.OpenAsync(Cached(fs, hive.Size), hive.Size, ct).ConfigureAwait(false);
            const string key = @"Microsoft\Windows NT\CurrentVersion";
            var product = (await reg.GetStringAsync(key, "ProductName", ct).ConfigureAwait(false))?.Trim();
            if (string.IsNullOrEmpty(product)) return null;
            // Windows 11 still writes "Windows 10 …" as ProductName; its build number (22000 and up) tells them apart.
            if (product.StartsWith("Windows 10", StringComparison.Ordinal)
                && int.TryParse(await reg.GetStringAsync(key, "CurrentBuild", ct).ConfigureAwait(false), out int build) && build >= 22000)
                product = "Windows 11" + product["Windows 10".Length..];
            var displayVersion = (await reg.GetStringAsync(key, "DisplayVersion", ct).ConfigureAwait(false))?.Trim();
            return string.IsNullOrEmpty(displayVersion) ? product : $"{product} {displayVersion}";
        }
        catch (IOException)
        {
            return null; // a damaged hive only costs the product name; "Windows" is still reported
        }
    }

    /// <summary>
    /// Reads the hive in 256 KiB chunks, each once: every file read resolves the path again, and
    /// a key lookup touches hundreds of small cells.
    /// </summary>
    private static Func<long, int, CancellationToken, Task<byte[]>> Cached(IFileSystem fs, long size)
    {
        const int Chunk = 256 * 1024;
        const int MaxChunks = 256;
        var chunks = new Dictionary<long, byte[]>();
        return async (offset, length, ct) =>
        {
            length = (int)Math.Max(0, Math.Min(length, size - offset));
            var result = new byte[length];
            int done = 0;
            while (done < length)
            {
                long pos = offset + done, index = pos / Chunk;
                if (!chunks.TryGetValue(index, out var chunk))
                {
                    if (chunks.Count >= MaxChunks) chunks.Clear();
                    chunk = await fs.ReadFileRangeAsync(SoftwareHive, index * Chunk, Chunk, ct).ConfigureAwait(false);
                    chunks[index] = chunk;
                }
                int inChunk = (int)(pos - index * Chunk);
                int n = Math.Min(length - done, chunk.Length - inChunk);
                if (n <= 0) break;
                chunk.AsSpan(inChunk, n).CopyTo(result.AsSpan(done));
                done += n;
            }
            return done == length ? result : result[..done];
        };
    }
}
