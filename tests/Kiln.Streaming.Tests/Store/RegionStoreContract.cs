using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

/// <summary>
/// What every region store must do (IRegionStore's contract), run against each implementation:
/// the folder (LocalFolderRegionStoreTests) and Azure Blob Storage on Azurite (BlobRegionStoreTests).
/// </summary>
public abstract class RegionStoreContract
{
    /// <summary>A new, empty store.</summary>
    protected abstract IRegionStore NewStore();

    /// <summary>Objects (temporaries, uncommitted uploads included where the store can see them) the store holds besides its keys.</summary>
    protected abstract Task<int> LeftoversAsync(IRegionStore store);

    [Fact]
    public async Task PutThenRangeRead_ListAndDelete()
    {
        var store = NewStore();
        var data = TestImages.Random(10_000, seed: 1);
        await store.PutAsync("chunks/ab/object-1", data);

        Assert.True(await store.ExistsAsync("chunks/ab/object-1"));
        Assert.Equal(10_000, await store.GetLengthAsync("chunks/ab/object-1"));
        Assert.Null(await store.GetLengthAsync("chunks/ab/missing"));
        Assert.False(await store.ExistsAsync("chunks/ab/missing"));

        var middle = new byte[100];
        Assert.Equal(100, await store.ReadAsync("chunks/ab/object-1", 5_000, middle));
        Assert.Equal(data.AsSpan(5_000, 100).ToArray(), middle);

        var tail = new byte[100];
        Assert.Equal(50, await store.ReadAsync("chunks/ab/object-1", 9_950, tail)); // short read only at the end
        Assert.Equal(data.AsSpan(9_950).ToArray(), tail[..50]);
        Assert.Equal(0, await store.ReadAsync("chunks/ab/object-1", 10_000, tail)); // at the end: nothing, no error

        await store.PutAsync("manifests/v1.json", "{}"u8.ToArray());
        await store.PutAsync("chunks/ac/object-2", new byte[] { 7 });
        var keys = new List<string>();
        await foreach (var k in store.ListAsync("chunks/")) keys.Add(k);
        Assert.Equal(["chunks/ab/object-1", "chunks/ac/object-2"], keys.Order());
        keys.Clear();
        await foreach (var k in store.ListAsync("chunks/ab/")) keys.Add(k);
        Assert.Equal(["chunks/ab/object-1"], keys);

        Assert.True(await store.DeleteAsync("chunks/ab/object-1"));
        Assert.False(await store.DeleteAsync("chunks/ab/object-1"));
        await Assert.ThrowsAsync<RegionObjectNotFoundException>(async () => await store.ReadAsync("chunks/ab/object-1", 0, tail));
    }

    [Fact]
    public async Task EmptyStore_ListsNothing_AndReportsMissingObjects()
    {
        var store = NewStore();
        await foreach (var _ in store.ListAsync("")) Assert.Fail("an empty store listed a key");
        Assert.False(await store.DeleteAsync("manifests/none.json"));
        await Assert.ThrowsAsync<RegionObjectNotFoundException>(async () => await store.ReadAsync("manifests/none.json", 0, new byte[1]));
    }

    [Fact]
    public async Task FailedPut_LeavesNeitherObjectNorTemporary()
    {
        var store = NewStore();
        await using var failing = new FailingStream(bytesBeforeFailure: 3 << 20);

        await Assert.ThrowsAnyAsync<Exception>(async () => await store.PutAsync("packs/p.pack", failing));

        Assert.False(await store.ExistsAsync("packs/p.pack"));
        await foreach (var _ in store.ListAsync("")) Assert.Fail("a failed put left an object");
        Assert.Equal(0, await LeftoversAsync(store));
    }

    [Fact]
    public async Task Put_ReplacesAtomically()
    {
        var store = NewStore();
        await store.PutAsync("manifests/a.json", new byte[] { 1, 2, 3 });
        await store.PutAsync("manifests/a.json", new byte[] { 4 });
        Assert.Equal(new byte[] { 4 }, await store.GetAsync("manifests/a.json"));
    }

    [Fact]
    public async Task LargeObject_RoundTrips_InRanges()
    {
        var store = NewStore();
        var data = TestImages.Random(20 << 20, seed: 3); // above the blob store's 8 MiB single-upload size: staged blocks
        await store.PutAsync("packs/big.pack", data);
        Assert.Equal(data.Length, await store.GetLengthAsync("packs/big.pack"));
        var window = new byte[1 << 20];
        Assert.Equal(window.Length, await store.ReadAsync("packs/big.pack", 9 << 20, window));
        Assert.Equal(data.AsSpan(9 << 20, 1 << 20).ToArray(), window);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("chunks/.hidden")]
    [InlineData("a//b")]
    [InlineData("a/b c")]
    [InlineData("")]
    public async Task BadKeys_AreRefused(string key)
    {
        var store = NewStore();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.PutAsync(key, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ExistsAsync(key));
    }

    /// <summary>Yields zeros, then fails like a broken connection.</summary>
    protected sealed class FailingStream(long bytesBeforeFailure) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= bytesBeforeFailure) throw new IOException("connection reset (test)");
            int n = (int)Math.Min(count, bytesBeforeFailure - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
