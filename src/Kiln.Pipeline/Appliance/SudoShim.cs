namespace Kiln.Pipeline.Appliance;

/// <summary>
/// /.kiln/bin/sudo: scripts written for Azure run as an unprivileged user and say
/// <c>sudo apt-get …</c>; in the appliance everything already runs as root, so the shim drops
/// sudo's options and runs the command. Only root is supported as the target user (-u root /
/// -u 0): anything else fails loudly rather than silently running as root.
/// </summary>
public static class SudoShim
{
    public const string Text = """
        #!/.kiln/bin/sh
        # Kiln's sudo shim: the appliance runs every script as root already.
        shell=""
        while [ $# -gt 0 ]; do
          case "$1" in
            -u|--user) case "$2" in root|0|"#0") shift 2;; *) echo "sudo (kiln shim): only root is supported, not '$2'" >&2; exit 1;; esac;;
            -u*) u="${1#-u}"; case "$u" in root|0|"#0") shift;; *) echo "sudo (kiln shim): only root is supported, not '$u'" >&2; exit 1;; esac;;
            --user=*) u="${1#--user=}"; case "$u" in root|0) shift;; *) echo "sudo (kiln shim): only root is supported, not '$u'" >&2; exit 1;; esac;;
            -g|--group|-p|--prompt|-C|--close-from|-h|--host) shift 2;;
            -s|--shell|-i|--login) shell=1; shift;;
            -E|-H|-n|-S|-k|-K|-b|-P|--preserve-env|--preserve-env=*|--non-interactive|--stdin|--set-home|--reset-timestamp|-A|--askpass) shift;;
            --) shift; break;;
            -*) echo "sudo (kiln shim): unsupported option $1" >&2; exit 1;;
            *) break;;
          esac
        done
        if [ -n "$shell" ]; then
          [ $# -eq 0 ] && exec sh
          exec sh -c "$*"
        fi
        [ $# -gt 0 ] || { echo "usage: sudo [-E] [-n] [-u root] command [args]" >&2; exit 1; }
        exec "$@"
        """;
}
