namespace Kiln.Storage.Inspection;

/// <summary>os-release(5): KEY=value lines, values optionally quoted with shell-style escapes.</summary>
public static class OsRelease
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            string value = line[(eq + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1].Replace("\\\"", "\"").Replace("\\$", "$").Replace("\\`", "`").Replace("\\\\", "\\");
            result[line[..eq]] = value;
        }
        return result;
    }

    /// <summary>PRETTY_NAME, or NAME + VERSION, or NAME + VERSION_ID, or ID.</summary>
    public static string? Describe(IReadOnlyDictionary<string, string> fields)
    {
        if (fields.TryGetValue("PRETTY_NAME", out var pretty) && pretty.Length > 0) return pretty;
        fields.TryGetValue("NAME", out var name);
        if (!fields.TryGetValue("VERSION", out var version)) fields.TryGetValue("VERSION_ID", out version);
        if (!string.IsNullOrEmpty(name)) return string.IsNullOrEmpty(version) ? name : $"{name} {version}";
        return fields.TryGetValue("ID", out var id) ? id : null;
    }
}
