namespace Kiln.Pipeline.Appliance;

/// <summary>
/// The appliance's /init (busybox sh, runs as PID 1 in the initramfs). It is Kiln's own code,
/// identical for every job; what varies (the scripts, files, order) lives on the job disk.
/// <code>
///   /dev/vda   the staged image (writable)   → its Linux root mounted at /target
///   /dev/vdb   the job disk (ext4, read-only) → /job, holding run.sh + steps/ + files/
///   kiln.root=N on the command line: root partition number (0 = the whole disk is the file system)
///   kiln.net=1  on the command line: the network is on (eth0 on slirp, <see cref="ApplianceNetwork"/>)
/// </code>
/// With the network on, a missing eth0 fails the boot (KILN-APPLIANCE-ERROR) rather than
/// warning: the NIC and its module are Kiln's own, so its absence is a Kiln defect that a
/// warning would turn into a script's puzzling "could not resolve host" minutes later.
/// The chroot then gets a temporary /etc/resolv.conf (<see cref="ApplianceResolvConf"/>).
/// It prepares the chroot the way virt-customize does (proc, sys, a minimal /dev, the
/// appliance's busybox at /.kiln/bin and the job at /.kiln/job), runs /job/run.sh, undoes the
/// chroot preparation, syncs, unmounts and powers off. Every exit path powers off, so a broken
/// job ends the VM instead of leaving it waiting for the hard timeout.
/// </summary>
public static class ApplianceInit
{
    public const string DoneMarker = "KILN-JOB-DONE";
    public const string ErrorMarker = "KILN-APPLIANCE-ERROR";

    /// <summary>Where the appliance's busybox and its applet links sit, in the initramfs and (bind-mounted) in the chroot.</summary>
    public const string ToolsDirectory = "/.kiln/bin";

    /// <summary>Where the job disk is visible inside the chroot.</summary>
    public const string JobDirectoryInChroot = "/.kiln/job";

    public const string Text = $$"""
        #!/bin/busybox sh
        /bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin /job /target
        /bin/busybox --install -s
        mount -t devtmpfs devtmpfs /dev
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        fail() { echo "{{ErrorMarker}} $*"; sync; poweroff -f; sleep 30; }
        {{ApplianceResolvConf.Functions}}
        while read m; do insmod "/lib/modules/$m" 2>/dev/null; done < /lib/modules/load-order
        part=""; net=""
        for a in $(cat /proc/cmdline); do case "$a" in kiln.root=*) part="${a#kiln.root=}";; kiln.net=*) net="${a#kiln.net=}";; esac; done
        [ -n "$part" ] || fail "no kiln.root= on the kernel command line"
        ip link set lo up
        if [ "$net" = 1 ]; then
            # Static slirp addresses (no DHCP wait). The NIC appears when virtio_net probes it: wait up to ~5 s.
            i=0
            while [ $i -lt 50 ] && [ ! -e /sys/class/net/eth0 ]; do i=$((i+1)); sleep 0.1; done
            [ -e /sys/class/net/eth0 ] || fail "the network is on (kiln.net=1) but no eth0 appeared: the virtio_net module did not load or QEMU gave no NIC"
            { ip addr add {{ApplianceNetwork.GuestAddress}} dev eth0 && ip link set eth0 up && ip route add default via {{ApplianceNetwork.Gateway}}; } ||
                fail "cannot configure eth0 ({{ApplianceNetwork.GuestAddress}} via {{ApplianceNetwork.Gateway}})"
            echo "kiln-appliance: network up: eth0 {{ApplianceNetwork.GuestAddress}}, gateway {{ApplianceNetwork.Gateway}}, DNS {{ApplianceNetwork.Nameserver}}"
        fi
        rootdev=/dev/vda; [ "$part" = 0 ] || rootdev="/dev/vda$part"
        # Disks appear asynchronously after the drivers load: wait up to ~30 s.
        i=0
        while [ $i -lt 300 ] && ! { [ -b "$rootdev" ] && [ -b /dev/vdb ]; }; do i=$((i+1)); sleep 0.1; done
        [ -b "$rootdev" ] || fail "the image's root $rootdev did not appear"
        [ -b /dev/vdb ] || fail "the job disk /dev/vdb did not appear"
        mount -t ext4 -o ro /dev/vdb /job || fail "cannot mount the job disk"
        mount -t ext4 "$rootdev" /target || fail "cannot mount the image's root $rootdev read-write"
        t=/target
        if [ "$net" = 1 ]; then kiln_resolv_set "$t" || fail "$kiln_resolv_error"; fi
        made=""
        for d in proc sys dev tmp; do [ -d "$t/$d" ] || { mkdir -p "$t/$d"; made="$made $d"; }; done
        mount -t proc proc "$t/proc"
        mount -t sysfs sysfs "$t/sys"
        # A minimal /dev (not the appliance's devtmpfs): scripts get null/zero/random/tty/pts
        # but no block devices, so nothing below the file system can be written from the chroot.
        mount -t tmpfs -o mode=0755,size=1m kiln-dev "$t/dev"
        mknod -m 666 "$t/dev/null" c 1 3; mknod -m 666 "$t/dev/zero" c 1 5; mknod -m 666 "$t/dev/full" c 1 7
        mknod -m 666 "$t/dev/random" c 1 8; mknod -m 666 "$t/dev/urandom" c 1 9; mknod -m 666 "$t/dev/tty" c 5 0
        mkdir -p "$t/dev/pts" "$t/dev/shm"
        mount -t devpts -o newinstance,ptmxmode=0666 devpts "$t/dev/pts"; ln -s pts/ptmx "$t/dev/ptmx"
        mount -t tmpfs -o size=64m shm "$t/dev/shm"
        ln -s /proc/self/fd "$t/dev/fd"; ln -s /proc/self/fd/0 "$t/dev/stdin"
        ln -s /proc/self/fd/1 "$t/dev/stdout"; ln -s /proc/self/fd/2 "$t/dev/stderr"
        kilnmade=""; [ -d "$t/.kiln" ] || kilnmade=1
        mkdir -p "$t{{ToolsDirectory}}" "$t{{JobDirectoryInChroot}}"
        mount --bind {{ToolsDirectory}} "$t{{ToolsDirectory}}"
        mount --bind /job "$t{{JobDirectoryInChroot}}"
        echo "kiln-appliance: root $rootdev mounted, running the job"
        sh /job/run.sh
        echo "kiln-appliance: job finished, cleaning up"
        kiln_resolv_restore "$t"
        umount "$t{{JobDirectoryInChroot}}"; umount "$t{{ToolsDirectory}}"
        rmdir "$t{{JobDirectoryInChroot}}" "$t{{ToolsDirectory}}"
        [ -n "$kilnmade" ] && rmdir "$t/.kiln"
        umount "$t/dev/shm"; umount "$t/dev/pts"; umount "$t/dev"; umount "$t/sys"; umount "$t/proc"
        for d in $made; do rmdir "$t/$d"; done
        sync
        umount /target || { sync; mount -o remount,ro /target; }
        umount /job
        echo "{{DoneMarker}}"
        poweroff -f
        sleep 30
        """;
}
