using Azure.Storage.Blobs;
using Kiln.Streaming.Store;

namespace Kiln.Pipeline.Steps.Distribute.Vhd;

/// <summary>
/// Where a distribute[] VHD goes, from its <c>uri</c>: a file (a file:// path, or the output folder
/// when the uri is empty), or a page blob (https://ACCOUNT.blob.core.windows.net/CONTAINER/NAME.vhd,
/// or on Azurite http://HOST:PORT/ACCOUNT/CONTAINER/NAME.vhd). Exactly one of the two is set.
/// </summary>
public sealed record VhdTarget(string? FilePath, Uri? BlobUri)
{
    /// <param name="field">The template field, for error messages (e.g. "distribute[0].uri").</param>
    public static VhdTarget Classify(string? uri, string defaultPath, string field)
    {
        if (string.IsNullOrEmpty(uri))
            return new VhdTarget(defaultPath, null);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            throw new ArgumentException($"{field} '{BlobCredential.Redact(uri)}' is not an absolute URI: give file:///PATH/NAME.vhd or https://ACCOUNT.blob.core.windows.net/CONTAINER/NAME.vhd (or leave it empty for the output folder).");
        if (parsed.IsFile)
            return new VhdTarget(parsed.LocalPath, null);
        if (parsed.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{field} '{BlobCredential.Redact(uri)}': scheme '{parsed.Scheme}' is not supported: give file:///PATH/NAME.vhd or https://ACCOUNT.blob.core.windows.net/CONTAINER/NAME.vhd (or leave it empty for the output folder).");

        var parts = new BlobUriBuilder(parsed);
        if (string.IsNullOrEmpty(parts.AccountName))
            throw new ArgumentException($"{field} '{BlobCredential.Redact(uri)}': cannot tell the storage account from the URL (expected ACCOUNT.blob.core.windows.net or http://HOST:PORT/ACCOUNT/CONTAINER/NAME.vhd).");
        if (string.IsNullOrEmpty(parts.BlobContainerName) || string.IsNullOrEmpty(parts.BlobName) || parts.BlobName.EndsWith('/'))
            throw new ArgumentException($"{field} '{BlobCredential.Redact(uri)}': name the blob, not just the container: …/CONTAINER/NAME.vhd.");
        RegionStoreLocator.CheckContainerName(parts.BlobContainerName, field);
        return new VhdTarget(null, parsed);
    }
}
