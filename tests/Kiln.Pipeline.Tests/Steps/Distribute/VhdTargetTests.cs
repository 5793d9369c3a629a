using Kiln.Pipeline.Steps.Distribute.Vhd;

namespace Kiln.Pipeline.Tests.Steps.Distribute;

/// <summary>Which destination a distribute[] VHD uri names, and what a wrong one is told.</summary>
public sealed class VhdTargetTests
{
    private const string Field = "distribute[2].uri";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoUri_IsTheOutputFolder(string? uri)
        => Assert.Equal(new VhdTarget("/data/out/x.vhd", null), VhdTarget.Classify(uri, "/data/out/x.vhd", Field));

    [Fact]
    public void FileUri_IsALocalPath()
        => Assert.Equal(new VhdTarget("/srv/vhds/golden.vhd", null), VhdTarget.Classify("file:///srv/vhds/golden.vhd", "/d", Field));

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/vhds/golden.vhd")]
    [InlineData("https://acct.blob.core.windows.net/vhds/nested/golden.vhd?sv=2024&sig=abc")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/vhds/golden.vhd")]
    public void BlobUrls_AreBlobs(string uri)
    {
        var target = VhdTarget.Classify(uri, "/d", Field);
        Assert.Null(target.FilePath);
        Assert.Equal(new Uri(uri), target.BlobUri);
    }

    [Theory]
    [InlineData("ftp://host/golden.vhd", "scheme 'ftp' is not supported")]
    [InlineData("s3://bucket/golden.vhd", "scheme 's3' is not supported")]
    [InlineData("https://acct.blob.core.windows.net/vhds", "name the blob, not just the container")]
    [InlineData("https://acct.blob.core.windows.net/vhds/", "name the blob, not just the container")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/vhds", "name the blob, not just the container")]
    [InlineData("https://acct.blob.core.windows.net/VHDs/golden.vhd", "is not a valid name")]
    [InlineData("golden.vhd", "is not an absolute URI")]
    public void WrongUris_NameTheFieldAndTheFix(string uri, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => VhdTarget.Classify(uri, "/d", Field));
        Assert.Contains(Field, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorMessages_DoNotRepeatTheSas()
    {
        var e = Assert.Throws<ArgumentException>(() => VhdTarget.Classify("https://acct.blob.core.windows.net/vhds?sv=1&sig=SECRET", "/d", Field));
        Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal);
    }
}
