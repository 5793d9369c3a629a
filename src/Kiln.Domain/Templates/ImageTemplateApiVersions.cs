namespace Kiln.Domain.Templates;

/// <summary>The api-version strings of imageTemplates and the feature level each maps to.</summary>
public static class ImageTemplateApiVersions
{
    public const string V2022_02_14 = "2022-02-14";
    public const string V2022_07_01 = "2022-07-01";
    public const string V2023_07_01 = "2023-07-01";
    public const string V2024_02_01 = "2024-02-01";

    /// <summary>Every api-version the template rules know, oldest first.</summary>
    public static IReadOnlyList<string> All { get; } = [V2022_02_14, V2022_07_01, V2023_07_01, V2024_02_01];

    /// <summary>
    /// The feature level of <paramref name="apiVersion"/>. Unknown versions (the server rejects
    /// them before validation) map to the newest known version not after them, so a
    /// date-shaped preview string still gets sensible rules instead of an exception.
    /// </summary>
    public static TemplateApiLevel LevelOf(string? apiVersion)
    {
        var level = TemplateApiLevel.V2022_02_14;
        if (string.IsNullOrEmpty(apiVersion))
            return level;
        for (var i = 0; i < All.Count; i++)
        {
            if (string.CompareOrdinal(apiVersion, All[i]) >= 0)
                level = (TemplateApiLevel)i;
        }
        return level;
    }

    /// <summary>The api-version string that introduced <paramref name="level"/>.</summary>
    public static string NameOf(TemplateApiLevel level) => All[(int)level];
}
