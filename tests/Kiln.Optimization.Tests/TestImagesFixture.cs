using System.Collections.Concurrent;
using Kiln.TestImages;

namespace Kiln.Optimization.Tests;

/// <summary>
/// Builds each test image variant once per test run (in a temp folder deleted at the end), so
/// the boot tests and the refusal tests share them.
/// </summary>
public sealed class TestImagesFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _images = new();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("kiln-optimize-images-").FullName;

    /// <summary>The raw image of a variant by its CLI name (gen1, gen2, arm64, gen1-specialized, windows-specialized, huge…).</summary>
    public Task<string> RawAsync(string variant) => _images.GetOrAdd(variant, name => new Lazy<Task<string>>(async () =>
    {
        var path = Path.Combine(Directory, name + ".raw");
        await TestImageFactory.BuildAsync(TestImageSpec.FromName(name), path, CancellationToken.None);
        return path;
    })).Value;

    /// <summary>The gen1 image as a dynamic VHD, converted by qemu-img (not by Kiln's writer, so the reader meets a foreign file).</summary>
    public Task<string> Gen1VhdAsync() => _images.GetOrAdd("gen1.vhd", _ => new Lazy<Task<string>>(async () =>
    {
        var raw = await RawAsync("gen1");
        var vhd = Path.Combine(Directory, "gen1.vhd");
        // force_size: keep the exact virtual size instead of rounding to a CHS geometry.
        await Tool.RunAsync("qemu-img", "convert", "-f", "raw", "-O", "vpc", "-o", "subformat=dynamic,force_size=on", raw, vhd);
        return vhd;
    })).Value;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class TestImagesCollection : ICollectionFixture<TestImagesFixture>
{
    public const string Name = "test images";
}
