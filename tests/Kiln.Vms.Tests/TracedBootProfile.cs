using System.Text.RegularExpressions;
using Kiln.Machines;
using Kiln.Optimization.Profiles;
using Kiln.Storage.Formats;
using Kiln.Storage.Profiles;
using Kiln.Storage.Stack;
using Kiln.Vms;

namespace Kiln.Vms.Tests;

/// <summary>
/// Test helper: one boot of an image through the boot-trace filter, turned into a boot profile
/// by the optimizer's <see cref="BootProfileBuilder"/> (what <c>kiln optimize</c> does, minus its
/// eligibility checks and repeated boots), so the streaming tests have a real profile.
/// </summary>
public static class TracedBootProfile
{
    public static async Task<BootProfile> RecordAsync(string imagePath, MachineGeneration generation, Regex readyPattern, string workDirectory, CancellationToken ct)
    {
        await using var image = await DiskImage.OpenAsync(imagePath, writable: false, ct);
        await using var disk = BlockStack.Over(image.Device, ownsDevice: false).ReadOnly().Trace(out var trace).Overlay().Build();
        IReadOnlyList<BootTraceRead> reads = [];
        var boot = await DeviceBoot.RunAsync(disk, new DeviceBootOptions
        {
            Generation = generation,
            Completion = new BootCompletion { ReadyPattern = readyPattern, Timeout = TimeSpan.FromMinutes(10) },
            WorkDirectory = workDirectory,
            OnStarted = trace.Restart,
            OnCompleted = _ => reads = trace.Snapshot(),
        }, ct);
        Assert.True(boot.Ready, "the traced boot must reach its ready line: " + boot.Describe());
        return BootProfileBuilder.Build(
            [reads.Select(r => new TracedRead(r.Time.TotalSeconds, r.Offset, r.Length)).ToList()],
            [new BootProfileBoot { Seconds = boot.Boot.SecondsToReady ?? 0, Reads = reads.Count, BytesRead = reads.Sum(r => (long)r.Length) }],
            new BootProfileImage { SizeBytes = image.Device.Length, Format = image.Format, ContentId = "test:" + Path.GetFileName(imagePath) });
    }
}
