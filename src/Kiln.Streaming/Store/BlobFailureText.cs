using Azure;

namespace Kiln.Streaming.Store;

/// <summary>
/// What a failed Azure Blob call means to the user, one wording for the region stores and the VHD
/// upload: who was refused and what to grant, an unreachable endpoint, or what storage answered.
/// </summary>
public static class BlobFailureText
{
    /// <param name="head">What could not be done, e.g. "region 'eastus' (URL): cannot delete 'chunks/…'".</param>
    /// <param name="credential">The credential in use, as the message should name it.</param>
    /// <param name="sasPermissions">The SAS permissions the operation needs, in words.</param>
    /// <param name="notFound">The sentence for a missing container (404 / ContainerNotFound), or null to report it as storage's answer.</param>
    public static string Describe(RequestFailedException e, string head, string credential, string sasPermissions, string? notFound = null) =>
        (e.Status, e.ErrorCode) switch
        {
            (401 or 403, _) => $"{head}: access denied ({e.ErrorCode ?? "HTTP " + e.Status}) for {credential}. "
                + $"Give that identity the 'Storage Blob Data Contributor' role on the container, or use a SAS with {sasPermissions} permissions.",
            (404, _) or (_, "ContainerNotFound") when notFound is not null => $"{head}: {notFound}",
            (0, _) => $"{head}: the storage endpoint cannot be reached ({e.InnerException?.Message ?? FirstLine(e.Message)}); check the URL and that the service runs.",
            _ => $"{head}: storage answered {e.Status} {e.ErrorCode}: {FirstLine(e.Message)}",
        };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
