namespace Kiln.Domain.Arm;

/// <summary>
/// api-versions accepted per resource type. az 2.45 and Azure.ResourceManager each pin their own,
/// so several are accepted and the resource shape is the same across them (azure-api.md §2, §4).
/// </summary>
public static class ApiVersions
{
    public static readonly IReadOnlyList<string> ImageTemplates = ["2022-02-14", "2022-07-01", "2023-07-01", "2024-02-01"];

    /// <summary>Triggers appeared in 2022-07-01.</summary>
    public static readonly IReadOnlyList<string> ImageTemplateTriggers = ["2022-07-01", "2023-07-01", "2024-02-01"];

    public static readonly IReadOnlyList<string> Compute =
        ["2021-07-01", "2021-10-01", "2022-01-03", "2022-03-03", "2022-08-03", "2023-07-03", "2024-03-03", "2025-03-03", "2026-03-03"];

    public static readonly IReadOnlyList<string> ManagedIdentity =
        ["2018-11-30", "2021-09-30-preview", "2022-01-31-preview", "2023-01-31", "2023-07-31-preview", "2024-11-30"];

    public static readonly IReadOnlyList<string> Authorization =
        ["2015-07-01", "2018-01-01-preview", "2018-09-01-preview", "2020-04-01-preview", "2020-10-01-preview", "2022-04-01"];

    public static readonly IReadOnlyList<string> Resources =
        ["2016-09-01", "2019-05-01", "2019-10-01", "2019-11-01", "2020-01-01", "2020-06-01", "2021-01-01", "2021-04-01",
         "2022-01-01", "2022-09-01", "2022-12-01", "2023-07-01", "2024-03-01", "2024-07-01", "2025-04-01"];

    public static IReadOnlyList<string> For(string type)
    {
        string t = ResourceTypes.Canonical(type);
        if (t == ResourceTypes.ImageTemplateTrigger)
            return ImageTemplateTriggers;
        if (t.StartsWith("Microsoft.VirtualMachineImages/", StringComparison.Ordinal))
            return ImageTemplates;
        if (t.StartsWith("Microsoft.Compute/", StringComparison.OrdinalIgnoreCase))
            return Compute;
        if (t.StartsWith("Microsoft.ManagedIdentity/", StringComparison.OrdinalIgnoreCase))
            return ManagedIdentity;
        if (t.StartsWith("Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase))
            return Authorization;
        return Resources;
    }

    /// <summary>Throws the ARM error for a missing or unknown api-version of <paramref name="type"/>.</summary>
    public static void Require(string type, string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
            throw KilnException.BadRequest("MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.", "api-version");
        var supported = For(type);
        if (!supported.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
            throw KilnException.BadRequest("NoRegisteredProviderFound",
                $"No registered resource provider found for API version '{apiVersion}' and type '{ResourceTypes.Canonical(type)}'. " +
                $"The supported api-versions are '{string.Join(", ", supported)}'.", "api-version");
    }
}
