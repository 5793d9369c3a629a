namespace Kiln.Domain.Templates;

/// <summary>
/// <c>distribute[].versioning</c> (2022-07-01+). Latest: next patch above the highest existing
/// version, restricted to <see cref="Major"/> when it is not -1. Source: from the source version.
/// </summary>
public sealed record DistributeVersioning(VersioningScheme Scheme, int Major);
