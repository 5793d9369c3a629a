using Kiln.Storage.Blocks;
using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

/// <summary>A page blob upload that is cancelled or fails midway leaves no blob behind (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PageBlobUploadTests(Azurite azurite)
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task CancelledUpload_LeavesNoBlob()
    {
        var (container, blob) = await NewBlobAsync();
        var content = new byte[12 * MiB];
        new Random(3).NextBytes(content);
        using var cts = new CancellationTokenSource();
        var source = new CancellingDevice(MemoryBlockDevice.FromBytes(content), cts, cancelOnRead: 2);
        var upload = new PageBlobUpload(blob, "the Azurite account key", "distribute[0].uri");
        await upload.CreateAsync(content.Length, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.WriteAsync(source, 0, null, cts.Token));

        Assert.Equal(2, source.Reads); // it did get going before the cancel
        Assert.False((await azurite.Container(container).GetBlobClient("golden.vhd").ExistsAsync()).Value);
    }

    [Fact]
    public async Task ExistingBlob_IsNotDeleted_ByAnUploadThatWasRefused()
    {
        var (container, blob) = await NewBlobAsync();
        await blob.CreateAsync(MiB);
        var upload = new PageBlobUpload(blob, "the Azurite account key", "distribute[0].uri");

        await Assert.ThrowsAsync<IOException>(() => upload.CreateAsync(2 * MiB));

        Assert.False(await upload.DeleteAsync());
        Assert.Equal(MiB, (await blob.GetPropertiesAsync()).Value.ContentLength);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task SizesThatAreNotWholePages_AreRefused(long size)
    {
        var (_, blob) = await NewBlobAsync();
        var upload = new PageBlobUpload(blob, "the Azurite account key", "distribute[0].uri");

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => upload.CreateAsync(size));

        Assert.Contains("multiple of 512", e.Message, StringComparison.Ordinal);
    }

    private async Task<(string Container, Azure.Storage.Blobs.Specialized.PageBlobClient Blob)> NewBlobAsync()
    {
        string name = "p" + Guid.NewGuid().ToString("N")[..20];
        var container = azurite.Container(name);
        await container.CreateAsync();
        return (name, Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetPageBlobClient(container, "golden.vhd"));
    }

    /// <summary>A device that cancels the upload's token on its Nth read (the build being cancelled mid-upload).</summary>
    private sealed class CancellingDevice(IBlockDevice inner, CancellationTokenSource cts, int cancelOnRead) : IBlockDevice
    {
        public int Reads { get; private set; }
        public long Length => inner.Length;
        public bool CanWrite => false;
        public int BlockSize => inner.BlockSize;

        public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
        {
            await inner.ReadAsync(offset, buffer, ct);
            if (++Reads == cancelOnRead) await cts.CancelAsync();
        }

        public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken ct = default) => throw new BlockDeviceReadOnlyException("cancelling test device");
        public ValueTask FlushAsync(CancellationToken ct = default) => ValueTask.CompletedTask;
        public ValueTask TrimAsync(long offset, long length, CancellationToken ct = default) => ValueTask.CompletedTask;
        public IAsyncEnumerable<Extent> GetAllocatedExtentsAsync(CancellationToken ct = default) => inner.GetAllocatedExtentsAsync(ct);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
