namespace Kiln.Machines;

/// <summary>A VM could not be started or run (QEMU missing, firmware missing, QEMU refused its arguments).</summary>
public sealed class MachineException(string message, Exception? inner = null) : Exception(message, inner);
