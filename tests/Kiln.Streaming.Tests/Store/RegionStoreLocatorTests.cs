using Kiln.Streaming.Store;

namespace Kiln.Streaming.Tests.Store;

public sealed class RegionStoreLocatorTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void APath_IsAFolderRegion()
    {
        using var dir = new TempDir();
        var store = RegionStoreLocator.Open(dir["westus2"], "--store", environment: NoEnvironment);
        Assert.IsType<LocalFolderRegionStore>(store);
        Assert.Equal("westus2", store.Name);
    }

    [Fact]
    public void ASasUrl_NeedsNoOtherCredential()
    {
        var store = RegionStoreLocator.Open("https://acct.blob.core.windows.net/westus2?sv=2023-01-03&sp=racwdl&sig=abc%3D", "--store", environment: NoEnvironment);
        var blob = Assert.IsType<BlobRegionStore>(store);
        Assert.Equal("westus2", blob.Name);
        Assert.DoesNotContain("sig=", blob.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheConnectionStringsAccountKey_IsUsed()
    {
        var env = new Dictionary<string, string?>
        {
            [RegionStoreLocator.ConnectionStringVariable] = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Convert.ToBase64String(new byte[32]) + ";EndpointSuffix=core.windows.net",
        };
        Assert.IsType<BlobRegionStore>(RegionStoreLocator.Open("https://acct.blob.core.windows.net/westus2", "--to", environment: env.GetValueOrDefault));
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/westus2", "no credential")]
    [InlineData("ftp://host/westus2", "only folders and http(s)")]
    [InlineData("https://acct.blob.core.windows.net/", "exactly one container")]
    [InlineData("https://acct.blob.core.windows.net/westus2/chunks/ab", "exactly one container")]
    [InlineData("https://acct.blob.core.windows.net/West_US?sig=x", "not a valid name")]
    [InlineData("https://acct.blob.core.windows.net/ab?sig=x", "not a valid name")]
    [InlineData("", "give a folder or a blob container URL")]
    public void BadLocations_AreRefused_NamingTheOption(string location, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => RegionStoreLocator.Open(location, "--store", environment: NoEnvironment));
        Assert.StartsWith("--store", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretInTheUrl_IsNotRepeatedInErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => RegionStoreLocator.Open("https://acct.blob.core.windows.net/a?sig=SECRET", "--store", environment: NoEnvironment));
        Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal);
    }
}
