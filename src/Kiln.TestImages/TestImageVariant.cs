namespace Kiln.TestImages;

/// <summary>The disk shapes the factory builds (generalized vs specialized is <see cref="TestImageSpec.Specialized"/>).</summary>
public enum TestImageVariant
{
    /// <summary>MBR, active FAT boot partition with syslinux (SeaBIOS), ext4 root.</summary>
    Gen1,
    /// <summary>GPT, EFI system partition with a unified kernel image at \EFI\BOOT\BOOTX64.EFI (OVMF), ext4 root.</summary>
    Gen2,
    /// <summary>GPT + ESP holding only \EFI\BOOT\BOOTAA64.EFI (a minimal PE, machine 0xAA64), ext4 root. Not bootable here.</summary>
    Arm64,
    /// <summary>MBR + NTFS partition laid out like Windows (\Windows\System32, \Windows\Setup\State\State.ini). Not bootable.</summary>
    Windows,
    /// <summary>The Gen2 disk on a sparse GPT disk larger than 2 TB (2.5 TiB virtual by default).</summary>
    Huge,
}
