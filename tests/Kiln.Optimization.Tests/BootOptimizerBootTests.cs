using System.Text.Json;
using Kiln.Machines;
using Kiln.Storage.Profiles;
using Xunit.Abstractions;

namespace Kiln.Optimization.Tests;

/// <summary>
/// Real traced boots under QEMU (TCG), one per generation, each checked against where the test
/// image's boot files really lie on the disk (found with host tools, not Kiln's readers). Boots
/// are expensive on the shared build hosts: one boot each, generous timeouts.
/// </summary>
[Collection(TestImagesCollection.Name)]
public sealed class BootOptimizerBootTests(TestImagesFixture images, ITestOutputHelper output) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("kiln-optimize-test-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private BootOptimizerOptions OneBoot => new()
    {
        Boots = 1,
        BootTimeout = TimeSpan.FromMinutes(25),
        // The hosts are heavily loaded: do not mistake a slow boot for a finished one.
        QuiescencePeriod = TimeSpan.FromMinutes(3),
        TempRoot = Path.Combine(_scratch, "runs"),
        ConsoleLogDirectory = Path.Combine(_scratch, "console"),
        Log = line => output.WriteLine(line),
    };

    [Fact]
    public async Task Gen1_AsDynamicVhd_ProfileCoversWorkingSetKernelAndInitrd_ImageUnchanged()
    {
        var raw = await images.RawAsync("gen1");
        var vhd = await images.Gen1VhdAsync();
        var before = await Tool.Sha256Async(vhd);

        var result = await BootOptimizer.OptimizeAsync(vhd, OneBoot, CancellationToken.None);

        Assert.Equal(before, await Tool.Sha256Async(vhd));
        var profile = RoundTrip(result.Profile);
        Assert.Equal(MachineGeneration.Gen1, result.Generation);
        Assert.Equal("vhd-dynamic", profile.Image.Format);
        Assert.Equal(new FileInfo(raw).Length, profile.Image.SizeBytes);
        AssertWellFormed(profile);

        // The VHD's virtual disk is the raw image byte for byte, so the raw image's layout applies.
        var workingSet = await DiskLayout.WorkingSetRangesAsync(raw, _scratch);
        var coverage = DiskLayout.Coverage(workingSet, profile.Extents);
        output.WriteLine($"working-set coverage {coverage:P2}");
        Assert.True(coverage >= 0.99, $"the profile covers {coverage:P2} of the boot working-set files' bytes; console: {ConsoleText()}");

        var bootFiles = await DiskLayout.FatFileRangesAsync(raw, "vmlinuz", "initrd.img");
        var bootCoverage = DiskLayout.Coverage(bootFiles, profile.Extents);
        Assert.True(bootCoverage >= 0.99, $"the profile covers {bootCoverage:P2} of vmlinuz + initrd.img on the boot partition");
        AssertNothingLeft();
    }

    [Fact]
    public async Task Gen2_Raw_ProfileCoversWorkingSet()
    {
        var raw = await images.RawAsync("gen2");
        var before = await Tool.Sha256Async(raw);

        var result = await BootOptimizer.OptimizeAsync(raw, OneBoot, CancellationToken.None);

        Assert.Equal(before, await Tool.Sha256Async(raw));
        var profile = RoundTrip(result.Profile);
        Assert.Equal(MachineGeneration.Gen2, result.Generation);
        Assert.Equal("raw", profile.Image.Format);
        AssertWellFormed(profile);
        var coverage = DiskLayout.Coverage(await DiskLayout.WorkingSetRangesAsync(raw, _scratch), profile.Extents);
        output.WriteLine($"working-set coverage {coverage:P2}");
        Assert.True(coverage >= 0.99, $"the profile covers {coverage:P2} of the boot working-set files' bytes; console: {ConsoleText()}");
        AssertNothingLeft();
    }

    [Fact]
    public async Task CancelDuringBoot_StopsQemuAndRemovesEveryTempFile()
    {
        var raw = await images.RawAsync("gen1");
        using var cancel = new CancellationTokenSource();
        OptimizerBootStarted? started = null;
        var options = OneBoot with
        {
            BootStarted = s =>
            {
                started = s;
                Assert.True(Kiln.Testing.ProcessTable.Any(s.VmName), "QEMU runs under the VM's name while the boot is traced");
                Assert.True(Directory.Exists(s.WorkDirectory));
                cancel.CancelAfter(TimeSpan.FromSeconds(3));
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BootOptimizer.OptimizeAsync(raw, options, cancel.Token));

        Assert.NotNull(started);
        Assert.False(Kiln.Testing.ProcessTable.Any(started.VmName), $"QEMU {started.VmName} still runs after cancellation");
        Assert.False(Directory.Exists(started.WorkDirectory), "the run's temp folder (socket, overlay) is gone");
        AssertNothingLeft();
    }

    private void AssertNothingLeft()
    {
        var runs = Path.Combine(_scratch, "runs");
        Assert.True(!Directory.Exists(runs) || !Directory.EnumerateFileSystemEntries(runs).Any(),
            "every run folder (socket, overlay, VM folder) is removed");
    }

    private string ConsoleText()
    {
        var dir = Path.Combine(_scratch, "console");
        return Directory.Exists(dir) ? string.Join("\n", Directory.GetFiles(dir).Select(File.ReadAllText)) : "(none)";
    }

    private static BootProfile RoundTrip(BootProfile profile) =>
        JsonSerializer.Deserialize<BootProfile>(JsonSerializer.Serialize(profile))!;

    private static void AssertWellFormed(BootProfile profile)
    {
        Assert.Equal(BootProfile.CurrentFormatVersion, profile.FormatVersion);
        Assert.Matches("^sha256:[0-9a-f]{64}$", profile.Image.ContentId);
        var boot = Assert.Single(profile.Boots);
        Assert.True(boot.Reads > 0 && boot.BytesRead > 0 && boot.Seconds > 0, $"boot summary {boot}");
        Assert.Equal(profile.WorkingSetBytes, profile.Extents.Sum(e => e[1]));
        var sorted = profile.Extents.OrderBy(e => e[0]).ToList();
        for (int i = 1; i < sorted.Count; i++)
            Assert.True(sorted[i - 1][0] + sorted[i - 1][1] <= sorted[i][0], "profile extents never overlap");
        Assert.All(profile.Extents, e => Assert.True(e[1] > 0 && e[0] + e[1] <= profile.Image.SizeBytes));
    }
}
