namespace Kiln.TestImages;

/// <summary>
/// The /init of the test initramfs (busybox sh). It loads the disk and ext4 modules, finds
/// the root by its label, mounts it read-only, reads every file of the boot working set
/// (so a traced boot touches them), prints the ready marker on the console and powers off.
/// </summary>
public static class InitScript
{
    /// <summary>Label of the ext4 root the init looks for (mke2fs -L).</summary>
    public const string RootLabel = "kiln-root";

    /// <summary>Path, inside the root, of the list of working-set files (one root-relative path a line).</summary>
    public const string WorkingSetManifest = "etc/kiln/boot-working-set";

    /// <summary>The line prefix printed when the working set has been read.</summary>
    public const string ReadyMarker = "KILN-READY";

    public const string Text = $$"""
        #!/bin/busybox sh
        /bin/busybox mkdir -p /proc /sys /dev /root /sbin /usr/bin /usr/sbin
        /bin/busybox --install -s
        mount -t devtmpfs devtmpfs /dev
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        echo "kiln-init: loading modules"
        while read m; do insmod "/lib/modules/$m" 2>/dev/null; done < /lib/modules/load-order
        root=""
        i=0
        # Disks appear asynchronously after the drivers load: wait up to ~20 s.
        while [ $i -lt 200 ]; do
          root=$(findfs LABEL={{RootLabel}} 2>/dev/null) && [ -n "$root" ] && break
          i=$((i+1)); sleep 0.1
        done
        if [ -z "$root" ]; then echo "kiln-init: no partition labelled {{RootLabel}}"; poweroff -f; fi
        if ! mount -t ext4 -o ro "$root" /root; then echo "kiln-init: cannot mount $root"; poweroff -f; fi
        name=$(grep '^PRETTY_NAME=' /root/etc/os-release 2>/dev/null)
        echo "kiln-init: root $root $name"
        n=0
        while read f; do cat "/root/$f" > /dev/null && n=$((n+1)); done < /root/{{WorkingSetManifest}}
        echo "{{ReadyMarker}} files=$n"
        umount /root
        poweroff -f
        sleep 30
        """;
}
