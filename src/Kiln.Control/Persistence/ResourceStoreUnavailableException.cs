namespace Kiln.Control.Persistence;

/// <summary>
/// The store could not be opened: server unreachable, bad connection string, login refused,
/// missing permission, a schema from a newer Kiln. The message says what and how to fix it, so
/// the CLI prints it as is (no stack trace); the cause stays in <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ResourceStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
