using System.Text;
using Kiln.Pipeline.Appliance;
using Kiln.Storage.FileSystems.Ext4;
using Kiln.Storage.Formats;

namespace Kiln.Pipeline.Tests.Appliance;

public class JobDiskBuilderTests
{
    [Fact]
    public void MkfsArguments_MakeALabelledExt4WithoutJournal()
    {
        var args = JobDiskBuilder.MkfsArguments("/w/tree", "/w/job.ext4", 16);
        Assert.Equal(["-q", "-F", "-t", "ext4", "-O", "^has_journal", "-L", "kiln-job", "-E", "root_owner=0:0", "-d", "/w/tree", "/w/job.ext4", "16M"], args);
    }

    [Fact]
    public void Size_IsAtLeast16MiB_AndGrowsWithThePayload()
    {
        Assert.Equal(16, JobDiskBuilder.SizeMiB([new JobDiskEntry("run.sh", new byte[100], null, false)]));
        Assert.True(JobDiskBuilder.SizeMiB([new JobDiskEntry("files/0", new byte[40 << 20], null, false)]) >= 58);
    }

    [Fact]
    public async Task JobDisk_RoundTrips_ThroughKilnsExt4Reader()
    {
        using var temp = new TempDirectory();
        var payload = Path.Combine(temp.Path, "payload");
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(payload, bytes);
        var job = new ApplianceJob(
        [
            new ApplianceStep("s0", Encoding.UTF8.GetBytes("echo one\n"), ScriptInterpreter.ShellStopOnError),
            new ApplianceStep("s1", Encoding.UTF8.GetBytes("cp a b\n"), ScriptInterpreter.Shebang, payload),
        ]);
        var disk = Path.Combine(temp.Path, "job.ext4");

        await JobDiskBuilder.BuildAsync(job, temp.Path, disk, CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(temp.Path, "job-tree")));
        await using var image = await DiskImage.OpenAsync(disk);
        var fs = await Ext4FileSystem.OpenAsync(image.Device);
        Assert.Equal("kiln-job", fs.Label);
        Assert.Equal("echo one\n", Encoding.UTF8.GetString(await fs.ReadFileAsync("/steps/0.sh")));
        Assert.Equal(bytes, await fs.ReadFileAsync("/files/1"));
        Assert.Equal(ApplianceJobLayout.RunScript(job), Encoding.UTF8.GetString(await fs.ReadFileAsync("/run.sh")));
        Assert.Equal(ApplianceJobLayout.LaunchScript.ReplaceLineEndings("\n"), Encoding.UTF8.GetString(await fs.ReadFileAsync("/launch.sh")));
    }
}
