using Kiln.Machines;

namespace Kiln.Machines.Tests;

public class GuestExitTests
{
    [Theory]
    [InlineData(0, "reboot: Power down", BootCompletionReason.PoweredOff)]
    [InlineData(0, "", BootCompletionReason.PoweredOff)]
    [InlineData(0, "Kernel panic - not syncing: VFS: Unable to mount root fs", BootCompletionReason.Crashed)]
    [InlineData(0, "reboot: Restarting system", BootCompletionReason.Crashed)]
    [InlineData(1, "reboot: Power down", BootCompletionReason.Crashed)]
    public void Classify(int exitCode, string lastLine, BootCompletionReason expected) =>
        Assert.Equal(expected, GuestExit.Classify(exitCode, [new ConsoleLine(1, "booting"), new ConsoleLine(2, lastLine)]));
}
