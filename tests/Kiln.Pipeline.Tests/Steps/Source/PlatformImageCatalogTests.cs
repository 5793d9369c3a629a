using Kiln.Pipeline.Steps.Source;

namespace Kiln.Pipeline.Tests.Steps.Source;

public sealed class PlatformImageCatalogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kiln-catalog-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<PlatformImageCatalog> CatalogWithAsync(params string[] versions)
    {
        Directory.CreateDirectory(_dir);
        var catalog = new PlatformImageCatalog(Path.Combine(_dir, "catalog"));
        foreach (var version in versions)
        {
            string file = Path.Combine(_dir, version + ".img");
            await File.WriteAllBytesAsync(file, new byte[1 << 20]);
            await catalog.ImportAsync("Canonical", "UbuntuServer", "18.04-LTS", version, file, CancellationToken.None);
        }
        return catalog;
    }

    [Fact]
    public async Task Latest_is_the_numerically_highest_version_and_lookups_ignore_case()
    {
        var catalog = await CatalogWithAsync("18.04.20221018", "18.04.202210180", "18.04.9");
        var (path, exact) = catalog.Resolve("canonical", "ubuntuserver", "18.04-lts", "latest");
        Assert.Equal("18.04.202210180", exact);
        Assert.True(File.Exists(path));
        Assert.Equal("18.04.9", catalog.Resolve("Canonical", "UbuntuServer", "18.04-LTS", "18.04.9").ExactVersion);
    }

    [Fact]
    public async Task A_missing_image_names_the_import_command_and_the_versions_present()
    {
        var catalog = await CatalogWithAsync("1.0.0");
        var e = Assert.Throws<FileNotFoundException>(() => catalog.Resolve("Canonical", "UbuntuServer", "18.04-LTS", "2.0.0"));
        Assert.Contains("kiln platform-image import", e.Message);
        Assert.Contains("1.0.0", e.Message);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Import_refuses_names_that_could_escape_the_catalog(string publisher)
    {
        var catalog = await CatalogWithAsync();
        string file = Path.Combine(_dir, "x.img");
        await File.WriteAllBytesAsync(file, new byte[4096]);
        await Assert.ThrowsAsync<ArgumentException>(() => catalog.ImportAsync(publisher, "o", "s", "1.0.0", file, CancellationToken.None));
    }
}
