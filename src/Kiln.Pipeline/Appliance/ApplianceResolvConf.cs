namespace Kiln.Pipeline.Appliance;

/// <summary>
/// Name resolution inside the chroot, the way virt-customize does it: while the job runs, the
/// image's /etc/resolv.conf (a file, a symlink — on systemd images a dangling one into /run —
/// or nothing) is renamed aside and a file naming slirp's DNS takes its place; afterwards the
/// image's own entry is renamed back, so it returns byte for byte with its inode, mode and
/// link target. Renaming (not copying) is what keeps a symlink a symlink.
/// When a script replaced or removed Kiln's file (a File customizer to /etc/resolv.conf, a
/// package that installs resolvconf), its version wins and the saved one is dropped: on
/// Azure's build VM a script's change to the file would persist too.
/// /etc/hosts is never touched.
/// <code>
///   kiln_resolv_set DIR      DIR = the image's root; on failure returns 1, the reason in $kiln_resolv_error, DIR as it was
///   kiln_resolv_restore DIR  always succeeds; says on stdout what it did
/// </code>
/// Busybox sh functions, included in /init and run on the host by the tests.
/// </summary>
public static class ApplianceResolvConf
{
    /// <summary>Where the image's own entry waits while the job runs (same directory: a rename, never a copy).</summary>
    public const string SavedName = ".kiln-resolv.conf.image";

    /// <summary>Kiln's temporary file (no single quote in it: the functions hold it in a '…' string).</summary>
    public const string FileText = $"# Kiln appliance: slirp DNS while customizing; the image gets its own file back afterwards\nnameserver {ApplianceNetwork.Nameserver}\n";

    public const string Functions = $$"""
        kiln_resolv_text='{{FileText}}'
        kiln_resolv_state=""
        kiln_resolv_error=""
        kiln_resolv_set() {
            e="$1/etc"; f="$1/etc/resolv.conf"; s="$1/etc/{{SavedName}}"
            if [ ! -d "$e" ] || [ -L "$e" ]; then echo "kiln-appliance: the image has no /etc directory: scripts get no /etc/resolv.conf"; return 0; fi
            if [ -e "$s" ] || [ -L "$s" ]; then kiln_resolv_error="/etc/{{SavedName}} already exists in the image (left by an interrupted run?): remove it"; return 1; fi
            kiln_resolv_state=absent
            if [ -e "$f" ] || [ -L "$f" ]; then
                mv "$f" "$s" || { kiln_resolv_error="cannot move the image's /etc/resolv.conf aside"; kiln_resolv_state=""; return 1; }
                kiln_resolv_state=saved
            fi
            if ! { printf '%s' "$kiln_resolv_text" > "$f" && chmod 644 "$f"; }; then
                rm -f "$f"; [ "$kiln_resolv_state" = saved ] && mv "$s" "$f"
                kiln_resolv_state=""
                kiln_resolv_error="cannot write /etc/resolv.conf into the image (full or read-only?)"; return 1
            fi
            return 0
        }
        kiln_resolv_restore() {
            f="$1/etc/resolv.conf"; s="$1/etc/{{SavedName}}"
            [ -n "$kiln_resolv_state" ] || return 0
            if [ -f "$f" ] && [ ! -L "$f" ] && [ "$(cat "$f"; echo .)" = "$kiln_resolv_text." ]; then
                rm -f "$f"
                if [ "$kiln_resolv_state" = saved ]; then
                    mv "$s" "$f" && echo "kiln-appliance: restored the image's /etc/resolv.conf" || echo "kiln-appliance: WARNING: could not restore the image's /etc/resolv.conf (kept as /etc/{{SavedName}})"
                else
                    echo "kiln-appliance: removed the temporary /etc/resolv.conf (the image had none)"
                fi
            else
                [ "$kiln_resolv_state" = saved ] && rm -rf "$s"
                echo "kiln-appliance: a customizer replaced /etc/resolv.conf: keeping its version"
            fi
            kiln_resolv_state=""
            return 0
        }
        """;
}
