namespace Kiln.Optimization.Tests;

/// <summary>Images Azure will not boot-optimize are refused after inspection, with its reasons, before any VM starts.</summary>
[Collection(TestImagesCollection.Name)]
public sealed class BootOptimizerRefusalTests(TestImagesFixture images) : IDisposable
{
    private readonly string _runs = Directory.CreateTempSubdirectory("kiln-optimize-refusal-").FullName;

    public void Dispose() => Directory.Delete(_runs, recursive: true);

    [Theory]
    [InlineData("arm64", "Arm64")]
    [InlineData("gen1-specialized", "specialized")]
    [InlineData("windows-specialized", "specialized")]
    [InlineData("huge", "larger than 2 TB")]
    public async Task IneligibleTestImage_IsRefusedWithTheInspectionsReason(string variant, string reasonFragment)
    {
        var image = await images.RawAsync(variant);
        var before = new FileInfo(image).LastWriteTimeUtc;
        bool booted = false;
        var options = new BootOptimizerOptions { TempRoot = _runs, BootStarted = _ => booted = true };

        var refused = await Assert.ThrowsAsync<ImageNotEligibleException>(() => BootOptimizer.OptimizeAsync(image, options, CancellationToken.None));

        Assert.Contains(refused.Reasons, r => r.Contains(reasonFragment, StringComparison.Ordinal));
        Assert.Equal(image, refused.ImagePath);
        Assert.False(booted, "no VM is started for an ineligible image");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_runs));
        Assert.Equal(before, new FileInfo(image).LastWriteTimeUtc);
    }

    [Fact]
    public async Task BlankDisk_IsRefusedAsUnknownOs()
    {
        var blank = Path.Combine(_runs, "..", Path.GetFileName(_runs) + "-blank.raw");
        try
        {
            await using (var f = File.Create(blank)) f.SetLength(64 << 20);
            var refused = await Assert.ThrowsAsync<ImageNotEligibleException>(() =>
                BootOptimizer.OptimizeAsync(blank, new BootOptimizerOptions { TempRoot = _runs }, CancellationToken.None));
            Assert.Contains(refused.Reasons, r => r.Contains("No Linux or Windows installation", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(blank);
        }
    }

    [Fact]
    public async Task MissingFile_IsAFileNotFoundError()
    {
        var missing = Path.Combine(_runs, "nope.vhd");
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => BootOptimizer.OptimizeAsync(missing, null, CancellationToken.None));
        Assert.Contains(missing, e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public async Task BootCountOutOfRange_IsRejectedBeforeOpeningTheImage(int boots)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            BootOptimizer.OptimizeAsync("/nonexistent.raw", new BootOptimizerOptions { Boots = boots }, CancellationToken.None));
    }
}
