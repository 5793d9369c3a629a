using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Kiln.Streaming.Store;

/// <summary>
/// A region kept in one Azure Blob Storage container: key "a/b/c" is the blob "a/b/c". A put is one
/// upload that becomes visible only when it completes (a single Put Blob, or staged blocks and one
/// commit), so readers see the old object or the whole new one; a content stream that throws leaves
/// no blob (staged blocks that were never committed are not listed and expire on their own).
/// Azure's errors become <see cref="RegionAccessException"/>s that say which credential lacks what.
/// </summary>
public sealed class BlobRegionStore : IRegionStore
{
    private readonly BlobContainerClient _container;
    private readonly string _credential;
    private int _containerReady;

    /// <param name="container">The region's container (with its credential).</param>
    /// <param name="credential">How the client authenticates, for error messages (e.g. "the SAS in the URL").</param>
    public BlobRegionStore(BlobContainerClient container, string credential, string? name = null)
    {
        _container = container;
        _credential = credential;
        Name = name ?? container.Name;
    }

    public string Name { get; }

    /// <summary>The container's URL without any SAS.</summary>
    public Uri ContainerUri => new BlobUriBuilder(_container.Uri) { Sas = null, Query = null }.ToUri();

    public async ValueTask<bool> ExistsAsync(string key, CancellationToken ct = default)
        => await GetLengthAsync(key, ct).ConfigureAwait(false) is not null;

    // No blob, or no container yet: either way the object is absent.
    public ValueTask<long?> GetLengthAsync(string key, CancellationToken ct = default) =>
        CallAsync<long?>(async () => (await Blob(key).GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value.ContentLength,
            "read the properties of", key, absent: [404], whenAbsent: null);

    public async ValueTask<int> ReadAsync(string key, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (buffer.Length == 0) return 0;
        try
        {
            var options = new BlobDownloadOptions { Range = new HttpRange(offset, buffer.Length) };
            var download = await Blob(key).DownloadStreamingAsync(options, ct).ConfigureAwait(false);
            await using var content = download.Value.Content;
            int done = 0;
            while (done < buffer.Length)
            {
                int n = await content.ReadAsync(buffer[done..], ct).ConfigureAwait(false);
                if (n == 0) break;
                done += n;
            }
            return done;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new RegionObjectNotFoundException(Name, key);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return 0; // the range starts at or past the end of the object
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, "read", $"'{key}'");
        }
        catch (AggregateException e) when (e.InnerException is RequestFailedException first)
        {
            throw Fail(first, "read", $"'{key}'"); // the retry policy gave up: its attempts all failed alike
        }
    }

    public async ValueTask PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        RegionKeys.Validate(key);
        await EnsureContainerAsync(ct).ConfigureAwait(false);
        try
        {
            await Blob(key).UploadAsync(content, new BlobUploadOptions
            {
                TransferOptions = new Azure.Storage.StorageTransferOptions
                {
                    InitialTransferSize = 8 << 20,
                    MaximumTransferSize = 8 << 20,
                    MaximumConcurrency = 4,
                },
            }, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, "write", $"'{key}'");
        }
        catch (AggregateException e) when (e.InnerException is RequestFailedException first)
        {
            throw Fail(first, "write", $"'{key}'"); // the retry policy gave up: its attempts all failed alike
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var item in ListObjectsAsync(prefix, ct).ConfigureAwait(false))
            yield return item.Key;
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken ct = default) =>
        CallAsync(async () => (await Blob(key).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false)).Value,
            "delete", key, absent: [404], whenAbsent: false);

    public async IAsyncEnumerable<RegionObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var pages = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct).AsPages().GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false)) yield break;
                    page = pages.Current;
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    yield break; // no container yet: nothing stored
                }
                catch (RequestFailedException e)
                {
                    throw Fail(e, "list", $"'{prefix}*'");
                }
                catch (AggregateException e) when (e.InnerException is RequestFailedException first)
                {
                    throw Fail(first, "list", $"'{prefix}*'"); // the retry policy gave up: its attempts all failed alike
                }
                foreach (var item in page.Values)
                    yield return new RegionObject(item.Name, item.Properties.ContentLength ?? 0,
                        item.Properties.LastModified ?? DateTimeOffset.MaxValue); // no date: treat as young, never swept
            }
        }
        finally
        {
            await pages.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Setting (empty) metadata is the cheapest write that moves a blob's Last-Modified without touching its bytes.</summary>
    public ValueTask<bool> TouchAsync(string key, CancellationToken ct = default) =>
        CallAsync(async () =>
        {
            await Blob(key).SetMetadataAsync(new Dictionary<string, string>(), cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, "touch", key, absent: [404], whenAbsent: false);

    /// <summary>
    /// Blob storage decides the condition itself (If-Unmodified-Since), so check and delete are one
    /// atomic request. 404: gone; 412: modified (touched) after the cutoff.
    /// </summary>
    public ValueTask<bool> DeleteIfUnmodifiedSinceAsync(string key, DateTimeOffset cutoff, CancellationToken ct = default) =>
        CallAsync(async () =>
        {
            var conditions = new BlobRequestConditions { IfUnmodifiedSince = cutoff };
            return (await Blob(key).DeleteIfExistsAsync(DeleteSnapshotsOption.None, conditions, ct).ConfigureAwait(false)).Value;
        }, "delete", key, absent: [404, 412], whenAbsent: false);

    /// <summary>
    /// One call to the service: the listed statuses answer <paramref name="whenAbsent"/>, any other
    /// failure becomes a <see cref="RegionAccessException"/> naming the operation and the object
    /// (also when the retry policy gave up, its attempts wrapped in an AggregateException).
    /// </summary>
    private async ValueTask<T> CallAsync<T>(Func<Task<T>> call, string operation, string key, int[] absent, T whenAbsent)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (absent.Contains(e.Status))
        {
            return whenAbsent;
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, operation, $"'{key}'");
        }
        catch (AggregateException e) when (e.InnerException is RequestFailedException first)
        {
            throw Fail(first, operation, $"'{key}'");
        }
    }

    public override string ToString() => $"{Name} ({ContainerUri})";

    private BlobClient Blob(string key)
    {
        RegionKeys.Validate(key);
        return _container.GetBlobClient(key);
    }

    private async ValueTask EnsureContainerAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _containerReady) == 1) return;
        try
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            // A SAS scoped to the container may not create it; if it exists, writing can still work.
            if (!await ContainerExistsAsync(ct).ConfigureAwait(false)) throw Fail(e, "create", "the container");
        }
        catch (RequestFailedException e)
        {
            throw Fail(e, "create", "the container");
        }
        catch (AggregateException e) when (e.InnerException is RequestFailedException first)
        {
            throw Fail(first, "create", "the container"); // the retry policy gave up: its attempts all failed alike
        }
        Volatile.Write(ref _containerReady, 1);
    }

    private async ValueTask<bool> ContainerExistsAsync(CancellationToken ct)
    {
        try
        {
            return (await _container.ExistsAsync(ct).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException)
        {
            return false;
        }
    }

    private RegionAccessException Fail(RequestFailedException e, string operation, string target) =>
        new(Name, BlobFailureText.Describe(e, $"region '{Name}' ({ContainerUri}): cannot {operation} {target}", _credential,
            "read, add, create, write, delete and list"), e);
}
