namespace Kiln.Streaming.Store;

/// <summary>
/// The key layout shared by every region store:
/// <code>
///   chunks/ab/abcdef…        one chunk, named by the sha256 (hex) of its bytes
///   packs/&lt;id&gt;.pack          a boot pack, named by the sha256 of its bytes
///   manifests/&lt;name&gt;.json    a version manifest (written last: its presence means "complete")
/// </code>
/// Keys are '/'-separated segments of [A-Za-z0-9._-] that never start with '.', so stores may use
/// dot-names for their own temporaries.
/// </summary>
public static class RegionKeys
{
    public const string ChunkPrefix = "chunks/";
    public const string PackPrefix = "packs/";
    public const string ManifestPrefix = "manifests/";

    public static string Chunk(string sha256Hex)
    {
        CheckHash(sha256Hex, "chunk hash");
        return $"{ChunkPrefix}{sha256Hex[..2]}/{sha256Hex}";
    }

    public static string Pack(string packId)
    {
        CheckHash(packId, "pack id");
        return $"{PackPrefix}{packId}.pack";
    }

    public static string Manifest(string name)
    {
        var key = $"{ManifestPrefix}{name}.json";
        Validate(key);
        return key;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="key"/> breaks the key rules.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > 1024)
            throw new ArgumentException($"store key '{key}' must have 1 to 1024 characters.", nameof(key));
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '.')
                throw new ArgumentException($"store key '{key}': empty segment or segment starting with '.'.", nameof(key));
            foreach (var c in segment)
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                    throw new ArgumentException($"store key '{key}': character '{c}' is not allowed (use A-Z a-z 0-9 . _ -).", nameof(key));
        }
    }

    /// <summary>True when <paramref name="hex"/> is 64 lowercase hex digits (a sha256 as Kiln writes it).</summary>
    public static bool IsSha256Hex(string? hex)
    {
        if (hex is null || hex.Length != 64) return false;
        foreach (var c in hex)
            if (!(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return false;
        return true;
    }

    private static void CheckHash(string hex, string what)
    {
        if (!IsSha256Hex(hex))
            throw new ArgumentException($"{what} '{hex}' is not 64 lowercase hex digits.", nameof(hex));
    }
}
