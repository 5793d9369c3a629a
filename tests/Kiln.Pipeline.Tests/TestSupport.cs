using Kiln.Pipeline.Appliance;
using Kiln.Pipeline.Runner;
using Kiln.Storage.FileSystems;
using Kiln.Storage.FileSystems.Ext4;
using Kiln.Storage.Formats;
using Kiln.Storage.Partitions;
using Kiln.TestImages;
using PartitionTable = Kiln.Storage.Partitions.PartitionTable;

namespace Kiln.Pipeline.Tests;

/// <summary>A customization.log that keeps its lines for assertions.</summary>
internal sealed class ListLog : IBuildLog
{
    private readonly List<string> _lines = [];
    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }
    public void Write(string line) { lock (_lines) _lines.Add(line); }
}

/// <summary>A temp folder deleted with the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kiln-pipeline-test-").FullName;
    public void Dispose() { if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true); }
}

/// <summary>
/// Small Gen1 test images, built once per test collection and copied per test (every test
/// customizes its own copy); the fixture deletes them when the collection is done.
/// </summary>
public sealed class TestImageFixture : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<bool, string> _built = new();
    private readonly string _cache = Directory.CreateTempSubdirectory("kiln-pipeline-images-").FullName;

    public async Task<string> CopyAsync(bool specialized, string directory)
    {
        string source;
        await _gate.WaitAsync();
        try
        {
            if (!_built.TryGetValue(specialized, out var built))
            {
                built = System.IO.Path.Combine(_cache, specialized ? "gen1-specialized.raw" : "gen1.raw");
                await TestImageFactory.BuildAsync(new TestImageSpec
                {
                    Variant = TestImageVariant.Gen1, Specialized = specialized,
                    WorkingSetFiles = 4, WorkingSetMegabytes = 1, RootPartitionMegabytes = 64,
                }, built, CancellationToken.None);
                _built[specialized] = built;
            }
            source = built;
        }
        finally
        {
            _gate.Release();
        }
        var copy = System.IO.Path.Combine(directory, "staged.raw");
        SparseCopy.CreateSparse(copy, new FileInfo(source).Length);
        await SparseCopy.CopyIntoAsync(source, copy, 0, CancellationToken.None);
        return copy;
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
        _gate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TestImageCollection : ICollectionFixture<TestImageFixture>
{
    public const string Name = "test images";
}

/// <summary>Reading the customized images back, and looking for leftover processes.</summary>
internal static class TestImages
{
    /// <summary>Opens the image's Linux root with Kiln's own ext4 reader (no mount) and runs <paramref name="read"/> on it.</summary>
    public static async Task<T> ReadRootAsync<T>(string imagePath, Func<IFileSystem, Task<T>> read)
    {
        var root = await ImageRootLocator.FindAsync(imagePath, CancellationToken.None);
        await using var image = await DiskImage.OpenAsync(imagePath);
        var table = await PartitionTable.ReadAsync(image.Device);
        var partition = table.Partitions.Single(p => p.Index == root.PartitionNumber);
        await using var volume = PartitionTable.Open(image.Device, partition);
        var fs = await Ext4FileSystem.OpenAsync(volume);
        return await read(fs);
    }

    /// <summary>
    /// Runs debugfs (e2fsprogs) commands on the image's Linux root, for what Kiln's reader cannot
    /// do: prepare an image (<paramref name="write"/>) or read a symlink's target and an inode number.
    /// debugfs exits 0 even when a command fails, so anything it prints to stderr beyond its banner throws.
    /// </summary>
    public static async Task<string> DebugfsAsync(string imagePath, bool write, params string[] commands)
    {
        var root = await ImageRootLocator.FindAsync(imagePath, CancellationToken.None);
        long offset;
        await using (var image = await DiskImage.OpenAsync(imagePath))
            offset = (await PartitionTable.ReadAsync(image.Device)).Partitions.Single(p => p.Index == root.PartitionNumber).Offset;
        var info = new System.Diagnostics.ProcessStartInfo("debugfs") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[.. write ? ["-w"] : Array.Empty<string>(), "-f", "-", $"{imagePath}?offset={offset}"])
            info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        await process.StandardInput.WriteAsync(string.Join('\n', commands) + "\n");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("debugfs ", StringComparison.Ordinal)).ToList();
        if (process.ExitCode != 0 || errors.Count > 0)
            throw new InvalidOperationException($"debugfs {string.Join("; ", commands)} failed ({process.ExitCode}): {string.Join(" | ", errors)}");
        return await stdout;
    }

    public static Task<string?> ReadTextAsync(string imagePath, string path) =>
        ReadRootAsync(imagePath, async fs => await fs.ExistsAsync(path) ? System.Text.Encoding.UTF8.GetString(await fs.ReadFileAsync(path)) : null);
}
