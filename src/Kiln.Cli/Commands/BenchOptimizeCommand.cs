using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Kiln.Cli.Bench;
using Kiln.Optimization;
using Kiln.Storage.Formats;
using Kiln.TestImages;

namespace Kiln.Cli.Commands;

/// <summary>
/// `kiln bench optimize`: wall time of `kiln optimize` (inspection + traced boots + profile) for
/// the Gen1 and Gen2 test images and for a 30 GiB dynamic VHD holding the Gen1 disk (small
/// partitions on a big, sparse disk: Azure's documented P50 for optimizing a 30 GB Linux VHD is
/// 20 minutes). Images are built in a temp folder and deleted afterwards.
/// </summary>
public static class BenchOptimizeCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var json = new Option<string>("--json") { Description = "Where to write the figures.", Required = true };
        var plot = new Option<string?>("--plot") { Description = "Where to write a bar chart of the wall times (PNG)." };
        var boots = new Option<int>("--boots") { Description = "Traced boots per image.", DefaultValueFactory = _ => 1 };
        var sizeGiB = new Option<int>("--vhd-gib") { Description = "Virtual size of the big sparse VHD case.", DefaultValueFactory = _ => 30 };
        var command = new Command("optimize", "Wall time of boot optimization for the Gen1/Gen2 test images and a 30 GiB sparse VHD.")
        {
            json, plot, boots, sizeGiB,
        };
        command.SetAction(async (parse, ct) =>
        {
            var work = Directory.CreateTempSubdirectory("kiln-bench-optimize-").FullName;
            try
            {
                var gen1 = Path.Combine(work, "gen1.raw");
                var gen2 = Path.Combine(work, "gen2.raw");
                await TestImageFactory.BuildAsync(TestImageSpec.FromName("gen1"), gen1, ct);
                await TestImageFactory.BuildAsync(TestImageSpec.FromName("gen2"), gen2, ct);
                var big = Path.Combine(work, $"gen1-{parse.GetValue(sizeGiB)}g.vhd");
                await WriteBigVhdAsync(gen1, big, (long)parse.GetValue(sizeGiB) << 30, ct);

                var cases = new List<BenchOptimizeCase>();
                foreach (var (name, path) in new[] { ("gen1 raw", gen1), ("gen2 raw", gen2), ($"gen1 in {parse.GetValue(sizeGiB)} GiB dynamic VHD", big) })
                {
                    Console.Error.WriteLine($"bench optimize: {name} …");
                    var options = new BootOptimizerOptions
                    {
                        Boots = parse.GetValue(boots),
                        Log = line => Console.Error.WriteLine($"  {line}"),
                    };
                    var clock = Stopwatch.StartNew();
                    var result = await BootOptimizer.OptimizeAsync(path, options, ct);
                    clock.Stop();
                    var p = result.Profile;
                    var c = new BenchOptimizeCase(name, p.Image.Format ?? "", p.Image.SizeBytes, new FileInfo(path).Length,
                        Math.Round(clock.Elapsed.TotalSeconds, 1), p.Boots, p.WorkingSetBytes, p.Extents.Count);
                    cases.Add(c);
                    Console.WriteLine($"{name}: {c.WallSeconds:0.0} s wall, boots {string.Join(", ", p.Boots.Select(b => $"{b.Seconds:0.0} s/{b.Reads} reads"))}, " +
                        $"working set {p.WorkingSetBytes / 1048576.0:0.0} MiB in {p.Extents.Count} extents");
                }

                var report = new
                {
                    benchmark = "optimize",
                    date = DateTimeOffset.UtcNow,
                    host = new { cores = Environment.ProcessorCount, accelerator = "tcg", loadAverage = LoadAverage() },
                    azureP50Seconds30GbLinux = 20 * 60,
                    cases,
                };
                var jsonPath = Path.GetFullPath(parse.GetValue(json)!);
                Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
                await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, Json), ct);
                if (parse.GetValue(plot) is { } png)
                    BenchPlot.WriteBars(png, "kiln optimize wall time (TCG)", "seconds", cases.Select(c => (c.Name, c.WallSeconds)).ToList());
                return 0;
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    /// <summary>The Gen1 disk's data at the same offsets of a big dynamic VHD: partitions stay small, the disk is big and sparse.</summary>
    private static async Task WriteBigVhdAsync(string raw, string vhd, long size, CancellationToken ct)
    {
        await VhdWriter.CreateDynamicAsync(vhd, size, ct: ct);
        await using var source = RawFileDevice.Open(raw);
        await using var target = await DiskImage.OpenAsync(vhd, writable: true, ct);
        await ImageCopy.CopyAllocatedAsync(source, target.Device, ct: ct);
        await target.Device.FlushAsync(ct);
    }

    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
}

/// <summary>One row of `kiln bench optimize`.</summary>
public sealed record BenchOptimizeCase(string Name, string Format, long VirtualSizeBytes, long FileBytes, double WallSeconds,
    IReadOnlyList<Kiln.Storage.Profiles.BootProfileBoot> Boots, long WorkingSetBytes, int Extents);
