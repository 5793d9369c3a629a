using System.CommandLine;
using System.Text.Json;
using Kiln.Storage.Formats;
using Microsoft.Win32.SafeHandles;

namespace Kiln.Cli.Bench;

/// <summary>
/// <c>kiln bench convert</c>: on one generated sparse image, in the same run, times Kiln converting
/// to a fixed VHD and reading back all allocated data, against <c>qemu-img convert</c> to a fixed
/// VHD and to raw. The image holds N MiB of random data in 1 MiB pieces separated by 1 MiB holes.
/// </summary>
public static class ConvertBenchmark
{
    private const long MiB = 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command CreateCommand()
    {
        var sizeMb = new Option<int>("--size-mb") { Description = "MiB of allocated random data in the test image.", DefaultValueFactory = _ => 256 };
        var runs = new Option<int>("--runs") { Description = "Runs per measurement (the best is kept).", DefaultValueFactory = _ => 3 };
        var json = new Option<string>("--json") { Description = "Where to write the results.", Required = true };
        var workDir = new Option<string?>("--work-dir") { Description = "Scratch folder (default: a new folder under the temp directory, deleted after)." };
        var command = new Command("convert", "Kiln vs qemu-img: convert a sparse image to a fixed VHD, and read it back.");
        command.Options.Add(sizeMb);
        command.Options.Add(runs);
        command.Options.Add(json);
        command.Options.Add(workDir);
        command.SetAction(async (parse, ct) =>
        {
            var report = await RunAsync(Math.Max(1, parse.GetValue(sizeMb)), Math.Max(1, parse.GetValue(runs)), parse.GetValue(workDir), ct);
            var text = JsonSerializer.Serialize(report, Json);
            await File.WriteAllTextAsync(parse.GetValue(json)!, text, ct);
            Console.WriteLine(text);
            return 0;
        });
        return command;
    }

    public static async Task<object> RunAsync(int sizeMb, int runs, string? workDir, CancellationToken ct)
    {
        bool ownDir = workDir is null;
        string dir = workDir ?? Path.Combine(Path.GetTempPath(), "kiln-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string source = Path.Combine(dir, "source.raw"), kilnVhd = Path.Combine(dir, "kiln.vhd"),
                   qemuVhd = Path.Combine(dir, "qemu.vhd"), kilnRaw = Path.Combine(dir, "kiln.raw"), qemuRaw = Path.Combine(dir, "qemu.raw");
            long virtualSize = 2 * sizeMb * MiB + 512 * 1024; // not a whole MiB: the VHD writers must round up
            long allocated = await GenerateAsync(source, virtualSize, sizeMb, ct);
            await ReadAllocatedAsync(source, ct); // warm the page cache so every contender starts alike

            // Before every timed run: drop the previous output, write back all dirty pages (sync), and
            // re-read the source, so writeback left over by the previous run or by other work on the
            // machine does not land on whichever contender runs next.
            async Task Delete(string p) { File.Delete(p); await Nothing(); }
            async Task Nothing()
            {
                CpuTime.SyncFileSystems();
                await ReadAllocatedAsync(source, ct);
            }
            // qemu-img convert leaves the target in the page cache (no fsync of the data; see strace), so
            // the like-for-like Kiln figures do the same; the "WithFsync" figure adds Kiln's fsync.
            var m = await BenchTimer.BestOfInterleavedAsync(runs, allocated,
            [
                new("qemuImgConvertVhdFixed", () => Delete(qemuVhd), () => BenchTimer.RunToolAsync("qemu-img", ["convert", "-f", "raw", "-O", "vpc", "-o", "subformat=fixed,force_size=on", source, qemuVhd], ct)),
                new("kilnConvertVhdFixed", () => Delete(kilnVhd), () => ImageConverter.ConvertAsync(source, kilnVhd, DiskImage.VhdFixed, durable: false, ct: ct)),
                new("kilnReadAllocatedVhdFixed", Nothing, () => ReadAllocatedAsync(kilnVhd, ct)),
                new("kilnConvertRaw", () => Delete(kilnRaw), () => ImageConverter.ConvertAsync(source, kilnRaw, DiskImage.Raw, durable: false, ct: ct)),
                new("qemuImgConvertRaw", () => Delete(qemuRaw), () => BenchTimer.RunToolAsync("qemu-img", ["convert", "-f", "raw", "-O", "raw", source, qemuRaw], ct)),
                new("kilnConvertVhdFixedWithFsync", () => Delete(kilnVhd), () => ImageConverter.ConvertAsync(source, kilnVhd, DiskImage.VhdFixed, durable: true, ct: ct)),
                // -t writeback: qemu-img then fdatasyncs the target after the copy, like Kiln's durable mode.
                new("qemuImgConvertVhdFixedWithFsync", () => Delete(qemuVhd), () => BenchTimer.RunToolAsync("qemu-img", ["convert", "-t", "writeback", "-f", "raw", "-O", "vpc", "-o", "subformat=fixed,force_size=on", source, qemuVhd], ct)),
            ]);
            // Same bytes as qemu-img's own result, or the timing means nothing.
            await BenchTimer.RunToolAsync("qemu-img", ["compare", "-f", "vpc", "-F", "vpc", kilnVhd, qemuVhd], ct);

            return new
            {
                benchmark = "convert",
                sizeMb,
                runs,
                virtualSizeBytes = virtualSize,
                allocatedBytes = allocated,
                note = "seconds = best run; MB/s = allocated bytes / 1e6 / seconds; ratio = kiln MB/s / qemu-img MB/s (> 1: Kiln faster); cpuSeconds = least user+system CPU of a run (qemu-img: its process); cpuRatios > 1: Kiln uses less CPU",
                results = m,
                ratios = new
                {
                    convertVhdFixedKilnOverQemuImg = Ratio(m["kilnConvertVhdFixed"], m["qemuImgConvertVhdFixed"]),
                    convertVhdFixedWithFsyncKilnOverQemuImg = Ratio(m["kilnConvertVhdFixedWithFsync"], m["qemuImgConvertVhdFixedWithFsync"]),
                    convertRawKilnOverQemuImg = Ratio(m["kilnConvertRaw"], m["qemuImgConvertRaw"]),
                    readAllocatedKilnOverQemuImgConvertVhdFixed = Ratio(m["kilnReadAllocatedVhdFixed"], m["qemuImgConvertVhdFixed"]),
                },
                cpuRatios = new
                {
                    convertVhdFixedQemuImgCpuOverKilnCpu = CpuRatio(m["kilnConvertVhdFixed"], m["qemuImgConvertVhdFixed"]),
                    convertVhdFixedWithFsyncQemuImgCpuOverKilnCpu = CpuRatio(m["kilnConvertVhdFixedWithFsync"], m["qemuImgConvertVhdFixedWithFsync"]),
                    convertRawQemuImgCpuOverKilnCpu = CpuRatio(m["kilnConvertRaw"], m["qemuImgConvertRaw"]),
                },
            };
        }
        finally
        {
            if (ownDir) Directory.Delete(dir, recursive: true);
        }
    }

    private static double Ratio(Measurement kiln, Measurement qemu) => Math.Round(kiln.MBPerSecond / qemu.MBPerSecond, 2);

    /// <summary>&gt; 1: Kiln needs less CPU for the same work.</summary>
    private static double CpuRatio(Measurement kiln, Measurement qemu) => Math.Round(qemu.CpuSeconds / kiln.CpuSeconds, 2);

    /// <summary>Writes <paramref name="pieces"/> MiB of random data, one MiB every other MiB, into a sparse file.</summary>
    private static async Task<long> GenerateAsync(string path, long virtualSize, int pieces, CancellationToken ct)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous);
        RandomAccess.SetLength(file, virtualSize);
        var random = new Random(12345);
        var buffer = new byte[MiB];
        for (int i = 0; i < pieces; i++)
        {
            random.NextBytes(buffer);
            await RandomAccess.WriteAsync(file, buffer, 2 * i * MiB, ct);
        }
        return pieces * MiB;
    }

    /// <summary>Reads every allocated byte of an image through Kiln's format stack (4 MiB requests).</summary>
    private static async Task ReadAllocatedAsync(string path, CancellationToken ct)
    {
        await using var image = await DiskImage.OpenAsync(path, ct: ct);
        var buffer = new byte[ImageCopy.DefaultChunkSize];
        await foreach (var extent in image.Device.GetAllocatedExtentsAsync(ct))
            for (long pos = extent.Offset; pos < extent.End; pos += buffer.Length)
                await image.Device.ReadAsync(pos, buffer.AsMemory(0, (int)Math.Min(buffer.Length, extent.End - pos)), ct);
    }
}
