namespace Kiln.Streaming.Store;

/// <summary>A blob request was refused or failed; the message names the field, the credential and the fix.</summary>
public sealed class BlobAccessException(string message, Exception? inner = null) : IOException(message, inner);
