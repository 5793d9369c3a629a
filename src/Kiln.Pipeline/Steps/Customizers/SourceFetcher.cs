using System.Security.Cryptography;

namespace Kiln.Pipeline.Steps.Customizers;

/// <summary>
/// Brings a customizer's source (scriptUri, File sourceUri) onto the host as a plain file,
/// and checks its sha256Checksum before anything uses it. The host only stores the bytes: it
/// never executes them (they travel to the appliance VM on the job disk).
/// Supported: file:// (and absolute paths) and http(s)://.
/// </summary>
public sealed class SourceFetcher(HttpClient? http = null)
{
    /// <summary>A source larger than this is refused (a runaway download must not fill the staging disk).</summary>
    public const long DefaultMaxBytes = 4L << 30;

    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>
    /// Copies <paramref name="uri"/> to <paramref name="destinationPath"/> and verifies it.
    /// An empty <paramref name="expectedSha256"/> skips the check (Azure makes it optional); a
    /// mismatch deletes the copy and throws <see cref="CustomizerSourceException"/> naming both digests.
    /// </summary>
    /// <returns>The file's sha256 (lower-case hex).</returns>
    public async Task<string> FetchAsync(string uri, string? expectedSha256, string destinationPath, string what, CancellationToken ct)
    {
        var expected = NormalizeChecksum(expectedSha256, what);
        try
        {
            await CopyAsync(uri, destinationPath, what, ct);
            string actual;
            await using (var file = System.IO.File.OpenRead(destinationPath))
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
            if (expected is not null && actual != expected)
                throw new CustomizerSourceException(
                    $"{what}: the sha256 of {uri} is {actual}, but sha256Checksum says {expected}; the file was not used. " +
                    "Fix the checksum (sha256sum FILE) or the URI.");
            return actual;
        }
        catch (Exception) when (DeleteQuietly(destinationPath))
        {
            throw; // never reached: the filter deletes the partial copy and returns false
        }
    }

    /// <summary>Null when empty; otherwise 64 hex digits, lower-cased.</summary>
    public static string? NormalizeChecksum(string? checksum, string what)
    {
        if (string.IsNullOrWhiteSpace(checksum)) return null;
        var value = checksum.Trim().ToLowerInvariant();
        if (value.Length != 64 || !value.All(char.IsAsciiHexDigit))
            throw new CustomizerSourceException($"{what}: sha256Checksum '{checksum}' is not 64 hexadecimal digits.");
        return value;
    }

    private async Task CopyAsync(string uri, string destination, string what, CancellationToken ct)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            throw new CustomizerSourceException($"{what}: '{uri}' is not an absolute URI (file:///path or https://host/path).");
        await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write);
        if (parsed.IsFile)
        {
            var path = parsed.LocalPath;
            if (!System.IO.File.Exists(path))
                throw new CustomizerSourceException($"{what}: {uri} does not exist on this Kiln host.");
            if (new FileInfo(path).Length > MaxBytes)
                throw new CustomizerSourceException($"{what}: {uri} is larger than {MaxBytes} bytes.");
            await using var input = System.IO.File.OpenRead(path);
            await input.CopyToAsync(output, ct);
            return;
        }
        if (parsed.Scheme is not ("http" or "https"))
            throw new CustomizerSourceException($"{what}: '{parsed.Scheme}' URIs are not supported; use file://, http:// or https://.");

        using var client = http is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(30) } : null;
        using var response = await (http ?? client!).GetAsync(parsed, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new CustomizerSourceException($"{what}: GET {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        if (response.Content.Headers.ContentLength > MaxBytes)
            throw new CustomizerSourceException($"{what}: {uri} is larger than {MaxBytes} bytes.");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > MaxBytes)
                throw new CustomizerSourceException($"{what}: {uri} is larger than {MaxBytes} bytes.");
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private static bool DeleteQuietly(string path)
    {
        try { System.IO.File.Delete(path); }
        catch (IOException) { /* best effort: the step's cleanup removes its folder anyway */ }
        return false;
    }
}
