using System.Collections.Concurrent;
using Kiln.TestImages;

namespace Kiln.TestImages.Tests;

/// <summary>
/// Builds each test image at most once per test run (tests in several classes share them) in
/// a per-process folder deleted when the run ends.
/// </summary>
public static class BuiltImages
{
    public const int WorkingSetFiles = 12;
    public const int WorkingSetMegabytes = 6;

    private static readonly string Root = Directory.CreateTempSubdirectory("kiln-testimages-tests-").FullName;
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Images = new();

    static BuiltImages()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        };
    }

    public static TestImageSpec Spec(string name) =>
        TestImageSpec.FromName(name) with { WorkingSetFiles = WorkingSetFiles, WorkingSetMegabytes = WorkingSetMegabytes };

    /// <summary>Path of the raw image for a CLI variant name (gen1, gen2-specialized, …).</summary>
    public static Task<string> GetAsync(string name) =>
        Images.GetOrAdd(name, n => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(Root, n + ".raw");
            await TestImageFactory.BuildAsync(Spec(n), path, CancellationToken.None);
            return path;
        })).Value;
}
