namespace Kiln.Pipeline.Steps.Customizers;

/// <summary>A customizer's source could not be used: missing, unsupported URI, too large, or its sha256 does not match.</summary>
public sealed class CustomizerSourceException(string message) : Exception(message);
