using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace Kiln.Streaming.Store;

/// <summary>
/// How Kiln authenticates to one blob URL: the SAS in the URL itself, or an account's shared key
/// (from AZURE_STORAGE_CONNECTION_STRING's AccountKey, else AZURE_STORAGE_KEY: the variables the az
/// CLI reads). Shared by region stores (--store) and VHD distribution (distribute[i].uri), so both
/// accept the same credentials and explain a missing one the same way.
/// </summary>
public sealed class BlobCredential
{
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";
    public const string AccountKeyVariable = "AZURE_STORAGE_KEY";

    private readonly StorageSharedKeyCredential? _sharedKey;

    private BlobCredential(Uri uri, StorageSharedKeyCredential? sharedKey, string description)
    {
        Uri = uri;
        _sharedKey = sharedKey;
        Description = description;
    }

    /// <summary>The URL the clients use: with its SAS when the SAS is the credential, else bare.</summary>
    public Uri Uri { get; }

    /// <summary>Which credential this is, for error messages (e.g. "the SAS in the URL"); never the secret itself.</summary>
    public string Description { get; }

    public bool IsSas => _sharedKey is null;

    /// <param name="uri">A blob service URL (container or blob); its account must be known (see <see cref="BlobUriBuilder.AccountName"/>).</param>
    /// <param name="field">What the URL came from, for error messages (e.g. "--store", "distribute[0].uri").</param>
    /// <param name="environment">Variable lookup (tests pass their own); the process environment by default.</param>
    public static BlobCredential For(Uri uri, string field, Func<string, string?>? environment = null)
    {
        var parts = new BlobUriBuilder(uri);
        if (!string.IsNullOrEmpty(uri.Query) && uri.Query.Contains("sig=", StringComparison.Ordinal))
            return new BlobCredential(uri, null, "the SAS in the URL");

        environment ??= Environment.GetEnvironmentVariable;
        var key = AccountKeyFrom(environment(ConnectionStringVariable), field) ?? environment(AccountKeyVariable);
        if (string.IsNullOrEmpty(key))
            throw new ArgumentException($"{field} '{Redact(uri.OriginalString)}': no credential: add a SAS to the URL (?sv=…&sig=…), or set {AccountKeyVariable} or {ConnectionStringVariable} for account '{parts.AccountName}'.");
        var bare = new BlobUriBuilder(uri) { Sas = null, Query = null }.ToUri();
        try
        {
            return new BlobCredential(bare, new StorageSharedKeyCredential(parts.AccountName, key), $"the account key of '{parts.AccountName}'");
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{field}: the account key for '{parts.AccountName}' is not base64; copy it again from the storage account's access keys.");
        }
    }

    /// <summary>Client options Kiln uses for every blob client: a few quick retries, a generous per-request timeout.</summary>
    public static BlobClientOptions DefaultOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return options;
    }

    public BlobContainerClient ContainerClient(BlobClientOptions? options = null) =>
        _sharedKey is null ? new BlobContainerClient(Uri, options ?? DefaultOptions()) : new BlobContainerClient(Uri, _sharedKey, options ?? DefaultOptions());

    public PageBlobClient PageBlobClient(BlobClientOptions? options = null) =>
        _sharedKey is null ? new PageBlobClient(Uri, options ?? DefaultOptions()) : new PageBlobClient(Uri, _sharedKey, options ?? DefaultOptions());

    /// <summary>The location without its query (a SAS is a secret).</summary>
    public static string Redact(string location)
    {
        int q = location.IndexOf('?');
        return q < 0 ? location : location[..q] + "?…";
    }

    private static string? AccountKeyFrom(string? connectionString, string field)
    {
        if (string.IsNullOrEmpty(connectionString)) return null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Equals("AccountKey", StringComparison.OrdinalIgnoreCase)) return part[(eq + 1)..];
        }
        throw new ArgumentException($"{field}: {ConnectionStringVariable} has no AccountKey=…; use a connection string with a key, or a SAS in the URL.");
    }
}
