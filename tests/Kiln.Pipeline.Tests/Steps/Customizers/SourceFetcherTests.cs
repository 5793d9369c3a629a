using System.Net;
using System.Security.Cryptography;
using System.Text;
using Kiln.Pipeline.Steps.Customizers;

namespace Kiln.Pipeline.Tests.Steps.Customizers;

public class SourceFetcherTests
{
    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    [Fact]
    public async Task FileUri_WithTheRightChecksum_IsCopied_AnyCase()
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(temp.Path, "s.sh");
        var bytes = Encoding.UTF8.GetBytes("echo hi\n");
        await File.WriteAllBytesAsync(source, bytes);
        var target = Path.Combine(temp.Path, "copy");

        var sha = await new SourceFetcher().FetchAsync(new Uri(source).AbsoluteUri, Sha(bytes).ToUpperInvariant(), target, "customize[0]", CancellationToken.None);

        Assert.Equal(Sha(bytes), sha);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task ChecksumMismatch_IsRefused_AndTheCopyIsDeleted()
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(temp.Path, "s.sh");
        await File.WriteAllTextAsync(source, "echo evil\n");
        var target = Path.Combine(temp.Path, "copy");
        var wrong = new string('a', 64);

        var e = await Assert.ThrowsAsync<CustomizerSourceException>(() =>
            new SourceFetcher().FetchAsync(new Uri(source).AbsoluteUri, wrong, target, "customize[1]: scriptUri", CancellationToken.None));

        Assert.Contains("customize[1]: scriptUri", e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(Sha(Encoding.UTF8.GetBytes("echo evil\n")), e.Message);
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("ftp://example.invalid/x.sh", "not supported")]
    [InlineData("relative/x.sh", "not an absolute URI")]
    [InlineData("file:///nonexistent/kiln/x.sh", "does not exist")]
    public async Task BadSources_AreRefusedClearly(string uri, string expected)
    {
        using var temp = new TempDirectory();
        var e = await Assert.ThrowsAsync<CustomizerSourceException>(() =>
            new SourceFetcher().FetchAsync(uri, "", Path.Combine(temp.Path, "copy"), "customize[0]", CancellationToken.None));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void MalformedChecksums_AreRefused(string checksum) =>
        Assert.Throws<CustomizerSourceException>(() => SourceFetcher.NormalizeChecksum(checksum, "customize[0]"));

    [Fact]
    public async Task Http_IsDownloaded_AndVerified_AndErrorsNameTheStatus()
    {
        using var temp = new TempDirectory();
        var body = Encoding.UTF8.GetBytes("#!/bin/sh\necho from http\n");
        using var http = new HttpClient(new StubHandler(req => req.RequestUri!.AbsolutePath == "/ok.sh"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
            : new HttpResponseMessage(HttpStatusCode.NotFound)));
        var fetcher = new SourceFetcher(http);
        var target = Path.Combine(temp.Path, "copy");

        await fetcher.FetchAsync("https://scripts.example.invalid/ok.sh", Sha(body), target, "customize[0]", CancellationToken.None);
        Assert.Equal(body, await File.ReadAllBytesAsync(target));

        var e = await Assert.ThrowsAsync<CustomizerSourceException>(() =>
            fetcher.FetchAsync("https://scripts.example.invalid/missing.sh", "", target, "customize[0]", CancellationToken.None));
        Assert.Contains("404", e.Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task OversizedDownloads_AreCutOff()
    {
        using var temp = new TempDirectory();
        using var http = new HttpClient(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[5000]) }));
        var fetcher = new SourceFetcher(http) { MaxBytes = 1000 };
        var e = await Assert.ThrowsAsync<CustomizerSourceException>(() =>
            fetcher.FetchAsync("http://x.example.invalid/big", "", Path.Combine(temp.Path, "copy"), "customize[0]", CancellationToken.None));
        Assert.Contains("larger than 1000 bytes", e.Message);
    }

    /// <summary>The HTTP boundary: answers requests without a network.</summary>
    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
