using System.Text;
using Kiln.Pipeline.Appliance;

namespace Kiln.Pipeline.Steps.Generalize;

/// <summary>
/// The deprovision script (what <c>waagent -deprovision</c> and <c>cloud-init clean</c> do),
/// run in the image's chroot by the appliance after the customizers:
/// an empty /etc/machine-id (systemd makes a new one on first boot; kept as a file so a
/// read-only /etc still works), no dbus machine-id copy, no SSH host keys, no cloud-init
/// instance state, no waagent state, no root shell history, empty /tmp.
/// </summary>
public static class LinuxDeprovision
{
    public const string StepName = "generalize (deprovision)";

    public const string Script = """
        [ -d /etc ] && : > /etc/machine-id && echo "emptied /etc/machine-id"
        # Often a symlink to /etc/machine-id: only a real file of its own is removed.
        if [ -f /var/lib/dbus/machine-id ] && [ ! -L /var/lib/dbus/machine-id ]; then rm -f /var/lib/dbus/machine-id; echo "removed /var/lib/dbus/machine-id"; fi
        for k in /etc/ssh/ssh_host_*; do [ -e "$k" ] || [ -L "$k" ] || continue; rm -f "$k"; echo "removed $k"; done
        for d in /var/lib/cloud/instance /var/lib/cloud/instances /var/lib/cloud/data /var/lib/cloud/sem; do
          if [ -e "$d" ] || [ -L "$d" ]; then rm -rf "$d"; echo "removed $d"; fi
        done
        if [ -d /var/lib/waagent ]; then find /var/lib/waagent -mindepth 1 -maxdepth 1 -exec rm -rf {} +; echo "cleared /var/lib/waagent"; fi
        rm -f /root/.bash_history
        if [ -d /tmp ]; then find /tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} +; echo "cleared /tmp"; fi
        if [ -d /var/tmp ]; then find /var/tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} +; fi
        sync
        echo "deprovisioned"

        """;

    public static ApplianceStep Step() =>
        new(StepName, Encoding.UTF8.GetBytes(Script.ReplaceLineEndings("\n")), ScriptInterpreter.ShellStopOnError);
}
