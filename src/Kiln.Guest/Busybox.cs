namespace Kiln.Guest;

/// <summary>The statically linked busybox (Debian package busybox-static) every Kiln guest's initramfs carries as its userland.</summary>
public static class Busybox
{
    public const string StaticPath = "/bin/busybox";
}
