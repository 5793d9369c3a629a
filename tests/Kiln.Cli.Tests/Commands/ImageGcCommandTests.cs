using System.CommandLine;
using Kiln.Cli.Commands;
using Kiln.Storage.Blocks;
using Kiln.Streaming.Images;
using Kiln.Streaming.Store;

namespace Kiln.Cli.Tests.Commands;

/// <summary>`kiln image gc` on a folder region: what it prints, that a dry run deletes nothing, and its --grace forms.</summary>
public sealed class ImageGcCommandTests : IDisposable
{
    private const int Chunk = 16 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-cli-gc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        int exit = await new RootCommand { ImageCommand.Create() }.Parse(["image", "gc", .. args])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter(), EnableDefaultExceptionHandler = false });
        return (exit, output.ToString());
    }

    [Fact]
    public async Task DryRunPrintsWhatWouldGo_ThenARealRunFreesIt_AndKeepsTheLiveVersion()
    {
        var region = new LocalFolderRegionStore(Path.Combine(_dir, "west"));
        var live = new byte[4 * Chunk];
        var dead = new byte[4 * Chunk];
        new Random(1).NextBytes(live);
        new Random(2).NextBytes(dead);
        var options = new PublishOptions { ChunkSize = Chunk };
        await new ImageStore(region).PublishAsync(MemoryBlockDevice.FromBytes(live), "live", null, options);
        var gone = await new ImageStore(region).PublishAsync(MemoryBlockDevice.FromBytes(dead), "dead", null, options);
        await region.DeleteAsync(RegionKeys.Manifest("dead"));
        var deadKey = RegionKeys.Chunk(gone.Manifest.Chunks[0]!);

        var (exit, dry) = await RunAsync("--store", region.Root, "--grace", "0", "--dry-run");
        Assert.Equal(0, exit);
        Assert.Contains($"would free {deadKey} ({Chunk} bytes)", dry);
        Assert.Contains("would free 4 objects (64 KiB)", dry);
        Assert.Contains("dry run: nothing was deleted", dry);
        Assert.True(await region.ExistsAsync(deadKey));

        var (_, real) = await RunAsync("--store", region.Root, "--grace", "0");
        Assert.Contains("freed 4 objects (64 KiB); kept 4 objects", real);
        Assert.False(await region.ExistsAsync(deadKey));
        Assert.Equal(live, await ReadVersionAsync(region, "live"));

        var (_, again) = await RunAsync("--store", region.Root); // default grace: nothing left to free anyway
        Assert.Contains("freed 0 objects", again);
    }

    private static async Task<byte[]> ReadVersionAsync(IRegionStore region, string name)
    {
        var manifest = await ImageManifest.ReadAsync(region, name);
        var bytes = new List<byte>();
        foreach (var hash in manifest.Chunks) bytes.AddRange(await region.GetAsync(RegionKeys.Chunk(hash!)));
        return [.. bytes];
    }

    [Theory]
    [InlineData(null, 600)]
    [InlineData("0", 0)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void Grace_Forms(string? text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), ImageGcCommand.ParseGrace(text));

    [Theory]
    [InlineData("10")]
    [InlineData("-5m")]
    [InlineData("ten minutes")]
    public void Grace_Malformed_IsRefusedWithTheForms(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ImageGcCommand.ParseGrace(text));
        Assert.Contains("--grace", e.Message);
        Assert.Contains("10m", e.Message);
    }
}
