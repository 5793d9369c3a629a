using Azure.Storage;
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
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";
    public const string AccountKeyVariable = "AZURE_STORAGE_KEY";

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

        environment ??= Environment.GetEnvironmentVariable;
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);

        if (!string.IsNullOrEmpty(uri.Query) && uri.Query.Contains("sig=", StringComparison.Ordinal))
            return new BlobRegionStore(new BlobContainerClient(uri, options), "the SAS in the URL", name);

        var key = AccountKeyFrom(environment(ConnectionStringVariable), option) ?? environment(AccountKeyVariable);
        if (string.IsNullOrEmpty(key))
            throw new ArgumentException($"{option} '{Redact(location)}': no credential: add a SAS to the URL (?sv=…&sig=…), or set {AccountKeyVariable} or {ConnectionStringVariable} for account '{parts.AccountName}'.");
        var bare = new BlobUriBuilder(uri) { Sas = null, Query = null }.ToUri();
        try
        {
            return new BlobRegionStore(new BlobContainerClient(bare, new StorageSharedKeyCredential(parts.AccountName, key), options),
                $"the account key of '{parts.AccountName}'", name);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{option}: the account key for '{parts.AccountName}' is not base64; copy it again from the storage account's access keys.");
        }
    }

    private static string? AccountKeyFrom(string? connectionString, string option)
    {
        if (string.IsNullOrEmpty(connectionString)) return null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Equals("AccountKey", StringComparison.OrdinalIgnoreCase)) return part[(eq + 1)..];
        }
        throw new ArgumentException($"{option}: {ConnectionStringVariable} has no AccountKey=…; use a connection string with a key, or a SAS in the URL.");
    }

    /// <summary>Azure's container rule: 3–63 of a-z, 0-9 and '-', starting and ending with a letter or digit, no "--".</summary>
    private static void CheckContainerName(string name, string option)
    {
        bool ok = name.Length is >= 3 and <= 63
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
        if (!ok)
            throw new ArgumentException($"{option}: container '{name}' is not a valid name: use 3 to 63 lowercase letters, digits and single hyphens (e.g. westus2).");
    }

    /// <summary>The location without its query (a SAS is a secret).</summary>
    private static string Redact(string location)
    {
        int q = location.IndexOf('?');
        return q < 0 ? location : location[..q] + "?…";
    }
}
