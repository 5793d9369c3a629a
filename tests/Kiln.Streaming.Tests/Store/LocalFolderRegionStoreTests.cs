using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

public class LocalFolderRegionStoreTests
{
    [Fact]
    public async Task PutThenRangeRead_ListAndDelete()
    {
        using var dir = new TempDir();
        var store = new LocalFolderRegionStore(dir.Path, "west");
        var data = TestImages.Random(10_000, seed: 1);
        await store.PutAsync("chunks/ab/object-1", data);

        Assert.True(await store.ExistsAsync("chunks/ab/object-1"));
        Assert.Equal(10_000, await store.GetLengthAsync("chunks/ab/object-1"));
        Assert.Null(await store.GetLengthAsync("chunks/ab/missing"));

        var middle = new byte[100];
        Assert.Equal(100, await store.ReadAsync("chunks/ab/object-1", 5_000, middle));
        Assert.Equal(data.AsSpan(5_000, 100).ToArray(), middle);

        var tail = new byte[100];
        Assert.Equal(50, await store.ReadAsync("chunks/ab/object-1", 9_950, tail)); // short read only at the end
        Assert.Equal(data.AsSpan(9_950).ToArray(), tail[..50]);

        await store.PutAsync("manifests/v1.json", "{}"u8.ToArray());
        var keys = new List<string>();
        await foreach (var k in store.ListAsync("chunks/")) keys.Add(k);
        Assert.Equal(["chunks/ab/object-1"], keys);

        Assert.True(await store.DeleteAsync("chunks/ab/object-1"));
        Assert.False(await store.DeleteAsync("chunks/ab/object-1"));
        await Assert.ThrowsAsync<RegionObjectNotFoundException>(async () => await store.ReadAsync("chunks/ab/object-1", 0, tail));
    }

    [Fact]
    public async Task FailedPut_LeavesNeitherObjectNorTemporary()
    {
        using var dir = new TempDir();
        var store = new LocalFolderRegionStore(dir.Path, "west");
        await using var failing = new FailingStream(bytesBeforeFailure: 3 << 20);

        await Assert.ThrowsAsync<IOException>(async () => await store.PutAsync("packs/p.pack", failing));

        Assert.False(await store.ExistsAsync("packs/p.pack"));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Put_ReplacesAtomically()
    {
        using var dir = new TempDir();
        var store = new LocalFolderRegionStore(dir.Path);
        await store.PutAsync("manifests/a.json", new byte[] { 1, 2, 3 });
        await store.PutAsync("manifests/a.json", new byte[] { 4 });
        Assert.Equal(new byte[] { 4 }, await store.GetAsync("manifests/a.json"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("chunks/.hidden")]
    [InlineData("a//b")]
    [InlineData("a/b c")]
    [InlineData("")]
    public void BadKeys_AreRefused(string key)
    {
        using var dir = new TempDir();
        var store = new LocalFolderRegionStore(dir.Path);
        Assert.Throws<ArgumentException>(() => store.PathOf(key));
    }

    /// <summary>Yields zeros, then fails like a broken connection.</summary>
    private sealed class FailingStream(long bytesBeforeFailure) : Stream
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
