namespace Kiln.Optimization;

/// <summary>A traced boot did not complete (hard timeout, crash, guest panic); the message says which and quotes the console.</summary>
public sealed class BootOptimizationException(string message, Exception? inner = null) : Exception(message, inner);
