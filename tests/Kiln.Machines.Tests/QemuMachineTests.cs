using System.Text.RegularExpressions;
using Kiln.Machines;

namespace Kiln.Machines.Tests;

/// <summary>
/// Real QEMU runs on a blank disk: the firmware finds nothing to boot and waits, which is
/// exactly the VM that must be timed out, cancelled and cleaned up. OVMF prints on the serial
/// console, so Gen2 also gives a ready-pattern match without any guest OS.
/// </summary>
public sealed class QemuMachineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiln-machine-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private VmSpec BlankVm(MachineGeneration generation)
    {
        var disk = Path.Combine(_dir, "blank.raw");
        using (var file = File.Create(disk)) file.SetLength(16 << 20);
        return new VmSpec { Disk = DiskSource.File(disk), Generation = generation, MemoryMiB = 256 };
    }

    private QemuMachineOptions Options => new() { TempRoot = Path.Combine(_dir, "vms") };

    [Fact]
    public async Task Gen2_ReadyPatternOnFirmwareOutput_ThenDisposeCleansUp()
    {
        var machine = await QemuMachine.StartAsync(BlankVm(MachineGeneration.Gen2), Options, CancellationToken.None);
        string work, log;
        await using (machine)
        {
            work = machine.WorkDirectory;
            log = machine.ConsoleLogPath;
            Assert.True(File.Exists(machine.Spec.OvmfVarsPath), "the private OVMF variables copy exists while the VM runs");
            Assert.StartsWith(work, machine.Spec.OvmfVarsPath);

            var result = await machine.WaitForBootAsync(
                new BootCompletion { ReadyPattern = new Regex("BdsDxe"), Timeout = TimeSpan.FromSeconds(180) }, CancellationToken.None);

            Assert.True(result.Reason == BootCompletionReason.ReadyPattern, $"reason {result.Reason}; stderr: {machine.StandardError}");
            Assert.Contains("BdsDxe", result.MatchedLine);
            Assert.True(result.SecondsToReady > 0);
            Assert.Matches(@"^\[\s*\d+\.\d{3}\] ", File.ReadAllLines(log).First());
        }
        Assert.False(Kiln.Testing.ProcessTable.Any(machine.Spec.Name));
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public async Task CancelMidBoot_KillsQemuAndDeletesItsTempFolder()
    {
        var spec = BlankVm(MachineGeneration.Gen2);
        var machine = await QemuMachine.StartAsync(spec, Options, CancellationToken.None);
        var work = machine.WorkDirectory;
        await using (machine)
        {
            Assert.True(Kiln.Testing.ProcessTable.Any(spec.Name));
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                machine.WaitForBootAsync(new BootCompletion { Timeout = TimeSpan.FromSeconds(180) }, cancel.Token));
            Assert.True(machine.HasExited);
            Assert.False(Kiln.Testing.ProcessTable.Any(spec.Name));
        }
        Assert.False(Directory.Exists(work));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "vms")));
    }

    [Fact]
    public async Task HardTimeout_KillsTheVm()
    {
        await using var machine = await QemuMachine.StartAsync(BlankVm(MachineGeneration.Gen1), Options, CancellationToken.None);
        var result = await machine.WaitForBootAsync(new BootCompletion { Timeout = TimeSpan.FromSeconds(2) }, CancellationToken.None);
        Assert.Equal(BootCompletionReason.Timeout, result.Reason);
        Assert.Null(result.SecondsToReady);
        Assert.True(machine.HasExited);
        Assert.False(Kiln.Testing.ProcessTable.Any(machine.Spec.Name));
    }

    [Fact]
    public async Task StillReadCounter_MeansQuiescent()
    {
        await using var machine = await QemuMachine.StartAsync(BlankVm(MachineGeneration.Gen1), Options, CancellationToken.None);
        long reads = 0;
        var completion = new BootCompletion
        {
            Timeout = TimeSpan.FromSeconds(120),
            ReadCounter = () => reads < 5 ? ++reads : reads, // a few reads, then nothing
            QuiescencePeriod = TimeSpan.FromSeconds(1),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        var result = await machine.WaitForBootAsync(completion, CancellationToken.None);
        Assert.Equal(BootCompletionReason.Quiescent, result.Reason);
        Assert.False(machine.HasExited, "a quiescent VM keeps running until disposed");
    }

    [Fact]
    public async Task QemuRefusingItsArguments_IsCrashed()
    {
        var spec = BlankVm(MachineGeneration.Gen1) with { ExtraArguments = ["-no-such-option"] };
        await using var machine = await QemuMachine.StartAsync(spec, Options, CancellationToken.None);
        var result = await machine.WaitForBootAsync(new BootCompletion { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);
        Assert.Equal(BootCompletionReason.Crashed, result.Reason);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-option", machine.StandardError);
    }

    [Fact]
    public async Task MissingQemuBinary_FailsClearlyAndLeavesNothing()
    {
        var spec = BlankVm(MachineGeneration.Gen1) with { QemuBinary = "/nonexistent/qemu-system-x86_64" };
        var error = await Assert.ThrowsAsync<MachineException>(() => QemuMachine.StartAsync(spec, Options, CancellationToken.None));
        Assert.Contains("/nonexistent/qemu-system-x86_64", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "vms", spec.Name)));
    }
}
