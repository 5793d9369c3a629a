using System.Globalization;
using Kiln.Storage.Partitions;

namespace Kiln.Storage.Inspection;

/// <summary>
/// Azure's documented conditions for VM boot optimization (Azure VM Image Builder,
/// optimize.vmBoot): Linux or Windows, MBR or GPT, Gen1 or Gen2, generalized; not for images
/// larger than 2 TB, not for Arm64, not for specialized images. Each refusal says what to change.
/// </summary>
public static class BootOptimizationRules
{
    /// <summary>2 TiB: "larger than 2 TB" is refused; Azure's 2 TB here is binary (the VHD/MBR limit family).</summary>
    public const long MaxVirtualSizeBytes = 2L << 40;

    public static VmBootOptimizationFacts Evaluate(long virtualSizeBytes, PartitionScheme scheme, OsType osType, CpuArchitecture architecture, OsState osState)
    {
        var reasons = new List<string>();
        if (osType == OsType.Unknown)
            reasons.Add("No Linux or Windows installation was found (no ext file system with /etc/os-release, no NTFS volume with \\Windows\\System32); boot optimization needs a Linux or Windows OS disk.");
        if (scheme == PartitionScheme.None)
            reasons.Add("The disk has no MBR or GPT partition table; boot optimization supports only partitioned OS disks. Partition the disk (MBR for Gen1, GPT for Gen2).");
        if (virtualSizeBytes > MaxVirtualSizeBytes)
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"The disk is {virtualSizeBytes:N0} bytes ({virtualSizeBytes / (double)(1L << 40):0.##} TiB), larger than 2 TB, the most boot optimization supports; shrink the OS disk to 2 TiB ({MaxVirtualSizeBytes:N0} bytes) or less."));
        if (architecture == CpuArchitecture.Arm64)
            reasons.Add("The image is Arm64; boot optimization supports only x64 images. Build an x64 image to optimize it.");
        if (osState == OsState.Specialized)
            reasons.Add("The image is specialized (see osStateEvidence); boot optimization needs a generalized image. Deprovision it first (Linux: waagent -deprovision+user or cloud-init clean with machine-id and SSH host keys removed; Windows: sysprep /generalize /oobe).");
        else if (osState == OsState.Unknown && osType != OsType.Unknown)
            reasons.Add("Whether the image is generalized could not be determined (see osStateEvidence); boot optimization needs a generalized image. Generalize it (waagent -deprovision+user, or sysprep /generalize /oobe so State.ini records IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE).");
        return new VmBootOptimizationFacts(reasons.Count == 0, reasons);
    }
}
