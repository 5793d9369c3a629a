using Kiln.Storage.Blocks;

namespace Kiln.Control.Builds;

/// <summary>
/// A template source resolved to data: how to open it, what to log, and what to record on the template
/// (<paramref name="ExactVersion"/> for a platform image, <paramref name="ExactId"/> for a gallery version).
/// <paramref name="Version"/> is the source's major.minor.patch (versioning scheme Source), when it has one.
/// </summary>
public sealed record ResolvedSource(
    string Description,
    Func<string, CancellationToken, Task<IBlockDevice>> Open,
    string? ExactVersion,
    string? ExactId,
    string? Version);
