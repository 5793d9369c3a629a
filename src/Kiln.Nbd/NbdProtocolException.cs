namespace Kiln.Nbd;

/// <summary>A client broke the protocol; the connection ends (never the server).</summary>
internal sealed class NbdProtocolException(string message) : Exception(message);
