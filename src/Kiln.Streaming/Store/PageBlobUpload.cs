using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Kiln.Storage.Blocks;

namespace Kiln.Streaming.Store;

/// <summary>
/// Writes one new page blob (what Azure requires for a disk): <see cref="CreateAsync"/> creates it
/// only if no blob has the name (If-None-Match: *, so Kiln never overwrites), then pages are put
/// at most 4 MiB at a time, skipping all-zero ranges because a new page blob already reads as zeros.
/// A write that fails or is cancelled deletes the blob it created, so no half-written disk remains.
/// </summary>
public sealed class PageBlobUpload(PageBlobClient blob, string credential, string field)
{
    /// <summary>Azure's largest Put Page.</summary>
    public const int MaxPageWrite = 4 * 1024 * 1024;
    public const int PageSize = 512;

    private bool _created;

    /// <summary>The blob's URL without any SAS (safe to log and to return as an artifact).</summary>
    public Uri BareUri => new Azure.Storage.Blobs.BlobUriBuilder(blob.Uri) { Sas = null, Query = null }.ToUri();

    public async Task CreateAsync(long length, CancellationToken ct = default)
    {
        if (length <= 0 || length % PageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"{field}: a page blob's size must be a positive multiple of {PageSize} bytes.");
        var options = new PageBlobCreateOptions { Conditions = new PageBlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await blob.CreateAsync(length, options, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode != "ContainerNotFound")
        {
            throw new IOException($"{field}: '{BareUri}' already exists; give a new uri (Kiln never overwrites a distributed VHD).", e);
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, "create");
        }
        catch (AggregateException e) when (e.InnerException is RequestFailedException first)
        {
            throw Fail(first, "create"); // the retry policy gave up: its attempts all failed alike
        }
        _created = true;
    }

    /// <summary>Puts the non-zero content of <paramref name="source"/> at <paramref name="offset"/> (a multiple of 512); a short last page is zero-padded.</summary>
    public async Task WriteAsync(IBlockDevice source, long offset, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        if (!_created) throw new InvalidOperationException("Create the page blob before writing to it.");
        try
        {
            var buffer = new byte[MaxPageWrite];
            var extents = new List<Extent>();
            await foreach (var extent in source.GetAllocatedExtentsAsync(ct).ConfigureAwait(false))
                extents.Add(extent);
            int next = 0;
            for (long at = 0; at < source.Length; at += MaxPageWrite)
            {
                int n = (int)Math.Min(MaxPageWrite, source.Length - at);
                while (next < extents.Count && extents[next].Offset + extents[next].Length <= at) next++;
                bool allocated = next < extents.Count && extents[next].Offset < at + n;
                if (allocated)
                {
                    await source.ReadAsync(at, buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    int padded = (n + PageSize - 1) / PageSize * PageSize;
                    buffer.AsSpan(n, padded - n).Clear();
                    if (buffer.AsSpan(0, padded).ContainsAnyExcept((byte)0))
                        await PutAsync(offset + at, buffer.AsMemory(0, padded), ct).ConfigureAwait(false);
                }
                progress?.Report(at + n);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or RequestFailedException or AggregateException)
        {
            await DeleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Puts <paramref name="data"/> (a multiple of 512 bytes, at most 4 MiB) at <paramref name="offset"/>.</summary>
    public async Task WritePagesAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (!_created) throw new InvalidOperationException("Create the page blob before writing to it.");
        try
        {
            await PutAsync(offset, data, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            await DeleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the blob if this upload created it (a failed or abandoned build); never touches a blob it did not create.</summary>
    public async Task<bool> DeleteAsync()
    {
        if (!_created) return false;
        try
        {
            // Not the build's token: a cancelled build must still remove its partial disk.
            bool deleted = (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: CancellationToken.None).ConfigureAwait(false)).Value;
            _created = false;
            return deleted;
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, "delete the partial");
        }
    }

    private async Task PutAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            await blob.UploadPagesAsync(stream, offset, options: null, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, "write");
        }
        catch (AggregateException e) when (e.InnerException is RequestFailedException first)
        {
            throw Fail(first, "write");
        }
    }

    private BlobAccessException Fail(RequestFailedException e, string operation) =>
        new(BlobFailureText.Describe(e, $"{field}: cannot {operation} page blob '{BareUri}'", credential,
            "create, write and delete (c, w, d)",
            notFound: $"container '{blob.BlobContainerName}' does not exist in account '{blob.AccountName}'; create it (az storage container create --name {blob.BlobContainerName}) or fix the uri."), e);
}
