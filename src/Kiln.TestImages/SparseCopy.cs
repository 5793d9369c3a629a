namespace Kiln.TestImages;

/// <summary>
/// Copies a file into another at an offset, skipping all-zero chunks so a sparse partition
/// image stays sparse inside the disk image (what <c>dd conv=notrunc,sparse</c> does).
/// The target must already read as zeros where chunks are skipped (a freshly sized file).
/// </summary>
public static class SparseCopy
{
    private const int ChunkSize = 1 << 20;

    public static async Task CopyIntoAsync(string source, string target, long targetOffset, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await using var output = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        if (targetOffset + input.Length > output.Length)
            throw new InvalidOperationException($"{source} ({input.Length} bytes) does not fit in {target} at offset {targetOffset} (size {output.Length}).");
        var buffer = new byte[ChunkSize];
        long position = 0;
        while (true)
        {
            var read = await input.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken);
            if (read == 0) break;
            var chunk = buffer.AsMemory(0, read);
            if (chunk.Span.IndexOfAnyExcept((byte)0) >= 0)
            {
                output.Position = targetOffset + position;
                await output.WriteAsync(chunk, cancellationToken);
            }
            position += read;
        }
    }

    /// <summary>Creates (or truncates) a sparse file of <paramref name="size"/> bytes.</summary>
    public static void CreateSparse(string path, long size)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(size);
    }
}
