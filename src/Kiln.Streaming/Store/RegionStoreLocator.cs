using Azure.Storage.Blobs;

namespace Kiln.Streaming.Store;

/// <summary>
/// Turns what a user types after --store (or --from/--to) into a region store, in one place:
/// <code>
///   /srv/regions/westus2                                        a folder (LocalFolderRegionStore)
///   https://acct.blob.core.windows.net/westus2[?sv=…&amp;sig=…]     a blob container (BlobRegionStore)
///   http://127.0.0.1:10000/devstoreaccount1/westus2              the same on Azurite (account in the path)
/// </code>
/// A blob URL takes its credential from its SAS, else from AZURE_STORAGE_CONNECTION_STRING (its
/// AccountKey), else from AZURE_STORAGE_KEY: the variables the az CLI reads.
/// </summary>
public static class RegionStoreLocator
{
    public const string ConnectionStringVariable = BlobCredential.ConnectionStringVariable;
    public const string AccountKeyVariable = BlobCredential.AccountKeyVariable;

    /// <param name="location">Folder path or blob container URL.</param>
    /// <param name="option">The option it came from, for error messages (e.g. "--store").</param>
    /// <param name="environment">Variable lookup (tests pass their own); the process environment by default.</param>
    public static IRegionStore Open(string location, string option, string? name = null, Func<string, string?>? environment = null)
    {
        if (string.IsNullOrWhiteSpace(location))
            throw new ArgumentException($"{option}: give a folder or a blob container URL (https://ACCOUNT.blob.core.windows.net/CONTAINER).");
        if (!location.Contains("://", StringComparison.Ordinal)) return new LocalFolderRegionStore(location, name);

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{option} '{Redact(location)}': only folders and http(s) blob container URLs are supported.");
        var parts = new BlobUriBuilder(uri);
        if (string.IsNullOrEmpty(parts.BlobContainerName) || !string.IsNullOrEmpty(parts.BlobName))
            throw new ArgumentException($"{option} '{Redact(location)}': the URL must name exactly one container (…/CONTAINER), not a blob inside it.");
        CheckContainerName(parts.BlobContainerName, option);
        if (string.IsNullOrEmpty(parts.AccountName))
            throw new ArgumentException($"{option} '{Redact(location)}': cannot tell the storage account from the URL (expected ACCOUNT.blob.core.windows.net or http://HOST:PORT/ACCOUNT/CONTAINER).");

        var credential = BlobCredential.For(uri, option, environment);
        return new BlobRegionStore(credential.ContainerClient(), credential.Description, name);
    }

    /// <summary>Azure's container rule: 3–63 of a-z, 0-9 and '-', starting and ending with a letter or digit, no "--".</summary>
    public static void CheckContainerName(string name, string option)
    {
        bool ok = name.Length is >= 3 and <= 63
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
        if (!ok)
            throw new ArgumentException($"{option}: container '{name}' is not a valid name: use 3 to 63 lowercase letters, digits and single hyphens (e.g. westus2).");
    }

    private static string Redact(string location) => BlobCredential.Redact(location);
}
