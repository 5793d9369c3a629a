namespace Kiln.Pipeline.Appliance;

/// <summary>How the appliance starts a step's script inside the chroot.</summary>
public enum ScriptInterpreter
{
    /// <summary><c>sh -e script</c>: stops at the first failing line, like Azure's (Packer's) inline scripts.</summary>
    ShellStopOnError,

    /// <summary>The script's own <c>#!</c> interpreter when the image has it (a scriptUri written for bash), else <c>sh script</c>.</summary>
    Shebang,
}
