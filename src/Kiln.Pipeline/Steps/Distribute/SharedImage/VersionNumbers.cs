using Kiln.Domain.Templates;

namespace Kiln.Pipeline.Steps.Distribute.SharedImage;

/// <summary>Gallery version names (major.minor.patch) and the auto-increment rule.</summary>
public static class VersionNumbers
{
    /// <summary>
    /// Next patch above the highest existing version (restricted to <c>versioning.major</c> when
    /// set); 1.0.0 (or major.0.0) when there is none. Scheme Source takes the source version.
    /// </summary>
    public static string Next(IEnumerable<string> existing, DistributeVersioning? versioning, string? sourceVersion)
    {
        if (versioning?.Scheme == VersioningScheme.Source)
            return sourceVersion is not null && TryParse(sourceVersion, out _)
                ? sourceVersion
                : throw new InvalidOperationException(
                    "versioning.scheme is Source but the source has no major.minor.patch version (use a SharedImageVersion source or scheme Latest).");
        int major = versioning?.Major ?? -1;
        var parsed = existing.Select(v => TryParse(v, out var p) ? p : ((int, int, int)?)null)
            .Where(p => p is not null).Select(p => p!.Value)
            .Where(p => major < 0 || p.Item1 == major)
            .OrderByDescending(p => p).ToList();
        if (parsed.Count == 0)
            return major < 0 ? "1.0.0" : $"{major}.0.0";
        var (a, b, c) = parsed[0];
        return $"{a}.{b}.{c + 1}";
    }

    public static bool TryParse(string text, out (int Major, int Minor, int Patch) version)
    {
        version = default;
        var parts = text.Split('.');
        if (parts.Length != 3 || !int.TryParse(parts[0], out int a) || !int.TryParse(parts[1], out int b) || !int.TryParse(parts[2], out int c)
            || a < 0 || b < 0 || c < 0)
            return false;
        version = (a, b, c);
        return true;
    }
}
