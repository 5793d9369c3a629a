namespace Kiln.Pipeline.Appliance;

/// <summary>
/// One script the appliance runs in the image's chroot, as root, with the appliance's busybox
/// on PATH after the image's own directories.
/// </summary>
/// <param name="Name">Shown in the log, e.g. "customize[0] Shell (install-nginx)".</param>
/// <param name="Script">The script text (bytes as given: a scriptUri's content is not re-encoded).</param>
/// <param name="Interpreter">How the script is started.</param>
/// <param name="PayloadPath">A host file carried in on the job disk, visible in the chroot at
/// <see cref="ApplianceJobLayout.PayloadPathInChroot"/> (the File customizer's source).</param>
public sealed record ApplianceStep(string Name, byte[] Script, ScriptInterpreter Interpreter, string? PayloadPath = null);
