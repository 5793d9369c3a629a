using Kiln.Machines;
using Xunit.Abstractions;

namespace Kiln.TestImages.Tests;

/// <summary>
/// The proof that the factory makes real, bootable disks: each boots under QEMU (TCG) to the
/// ready marker, having read every working-set file. Generous timeout (300 s): the machine is shared, and under heavy load a TCG boot took 80 s.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public class BootTests(BuiltImages images, ITestOutputHelper output)
{
    [Theory]
    [InlineData("gen1", MachineGeneration.Gen1)]
    [InlineData("gen2", MachineGeneration.Gen2)]
    public async Task Boots_ToTheReadyMarker(string variant, MachineGeneration generation)
    {
        var image = await images.GetAsync(variant);
        var spec = new VmSpec { Disk = DiskSource.File(image), Generation = generation, Accelerator = await KvmProbe.ChooseAsync(CancellationToken.None) };
        await using var machine = await QemuMachine.StartAsync(spec, null, CancellationToken.None);
        var result = await machine.WaitForBootAsync(new BootCompletion { Timeout = TimeSpan.FromSeconds(300) }, CancellationToken.None);

        var console = string.Join('\n', machine.ConsoleLines.Select(l => l.Text));
        Assert.True(result.Reason == BootCompletionReason.ReadyPattern, $"{variant}: {result.Reason}\n{console}\n{machine.StandardError}");
        Assert.Equal($"{InitScript.ReadyMarker} files={BuiltImages.WorkingSetFiles}", result.MatchedLine);
        Assert.Contains("PRETTY_NAME=\"Kiln Test Linux", console);
        output.WriteLine($"{variant}: {result.Reason} after {result.SecondsToReady:F1} s ({spec.Accelerator})");
    }
}
