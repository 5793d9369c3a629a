using System.Collections.Concurrent;
using Kiln.TestImages;

namespace Kiln.TestImages.Tests;

/// <summary>
/// Builds each test image at most once per test run (shared by every class in the
/// <see cref="BuiltImagesCollection"/>) in a temp folder deleted when the collection ends.
/// </summary>
public sealed class BuiltImages : IDisposable
{
    public const int WorkingSetFiles = 12;
    public const int WorkingSetMegabytes = 6;

    private readonly string _root = Directory.CreateTempSubdirectory("kiln-testimages-tests-").FullName;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _images = new();

    public static TestImageSpec Spec(string name) =>
        TestImageSpec.FromName(name) with { WorkingSetFiles = WorkingSetFiles, WorkingSetMegabytes = WorkingSetMegabytes };

    /// <summary>Path of the raw image for a CLI variant name (gen1, gen2-specialized, …).</summary>
    public Task<string> GetAsync(string name) =>
        _images.GetOrAdd(name, n => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(_root, n + ".raw");
            await TestImageFactory.BuildAsync(Spec(n), path, CancellationToken.None);
            return path;
        })).Value;

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
