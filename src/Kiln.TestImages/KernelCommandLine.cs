namespace Kiln.TestImages;

/// <summary>The test images' kernel command line.</summary>
public static class KernelCommandLine
{
    /// <summary>
    /// Console on the first serial port (what the machine runner captures); panic=-1 reboots
    /// at once on a panic so QEMU's -no-reboot ends the VM instead of hanging.
    /// </summary>
    public const string Default = "console=ttyS0,115200 panic=-1 loglevel=4";
}
