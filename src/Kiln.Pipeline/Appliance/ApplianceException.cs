namespace Kiln.Pipeline.Appliance;

/// <summary>The appliance could not do its job: no Linux root in the image, the VM crashed or timed out.</summary>
public sealed class ApplianceException(string message, Exception? inner = null) : Exception(message, inner);
