using Kiln.Domain.Arm;

namespace Kiln.Control.Builds;

/// <summary>
/// Where builds keep things under the data folder:
///
///   DIR/staging/IT_&lt;rg&gt;_&lt;template&gt;_&lt;random&gt;/            per run, deleted when it ends
///   DIR/logs/&lt;sub&gt;/&lt;rg&gt;/&lt;template&gt;/&lt;run&gt;/customization.log   kept
///   DIR/platform-images/…                                 the local platform-image catalog
/// </summary>
public sealed class BuildPaths(string dataDir)
{
    public string DataDirectory => dataDir;
    public string StagingRoot => Path.Combine(dataDir, "staging");
    public string PlatformImages => Path.Combine(dataDir, "platform-images");

    public string TemplateLogFolder(ResourceId templateId) =>
        Path.Combine(dataDir, "logs", templateId.Subscription.ToLowerInvariant(), templateId.ResourceGroup!.ToLowerInvariant(),
            templateId.Name.ToLowerInvariant());

    public string RunLog(ResourceId templateId, string runId) => Path.Combine(TemplateLogFolder(templateId), runId, "customization.log");

    /// <summary>The newest run's log of a template, or null when it never ran.</summary>
    public static string? LatestLog(string templateLogFolder)
    {
        if (!Directory.Exists(templateLogFolder))
            return null;
        return Directory.GetDirectories(templateLogFolder)
            .Select(d => Path.Combine(d, "customization.log"))
            .Where(File.Exists)
            .OrderByDescending(File.GetCreationTimeUtc)
            .ThenByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>Azure's staging group name: IT_&lt;rg&gt;_&lt;template&gt;_&lt;random&gt;, capped at 80 characters like ARM's limit.</summary>
    public static string StagingName(ResourceId templateId, string random)
    {
        string name = $"IT_{templateId.ResourceGroup}_{templateId.Name}";
        int max = 80 - random.Length - 1;
        return (name.Length > max ? name[..max] : name) + "_" + random;
    }
}
