using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kiln.Domain.Templates;

/// <summary><c>properties.source</c>: the three source kinds and their fields.</summary>
internal static partial class SourceRules
{
    private const string Path = "properties.source";
    public static readonly string[] Kinds = ["PlatformImage", "ManagedImage", "SharedImageVersion"];

    private static readonly FieldSet PlatformFields = new(FieldSet.Base("type", "publisher", "offer", "sku", "version", "planInfo"), "exactVersion");
    private static readonly FieldSet ManagedFields = new(FieldSet.Base("type", "imageId"));
    private static readonly FieldSet SharedFields = new(FieldSet.Base("type", "imageVersionId"), "exactVersion");
    private static readonly FieldSet PlanFields = new(FieldSet.Base("planName", "planProduct", "planPublisher"));

    /// <summary>What later cross-checks need to know about the source; null when unusable.</summary>
    internal sealed record Info(string Kind, TemplateResourceId? GalleryVersionId);

    public static Info? Check(RuleContext ctx, JsonObject props)
    {
        var source = ctx.Object(props, "source", "properties", required: true,
            hint: "describe the image to start from, e.g. {\"type\": \"PlatformImage\", \"publisher\": ..., \"offer\": ..., \"sku\": ..., \"version\": \"latest\"}");
        if (source is null)
            return null;
        var kinds = string.Join(", ", Kinds.Select(k => "'" + k + "'"));
        var type = ctx.String(source, "type", Path, required: true, hint: "use one of " + kinds);
        if (type is null)
            return null;
        var kind = ctx.Kind(type, Path + ".type", Kinds, "source");
        if (kind is null)
            return null;
        switch (kind)
        {
            case "PlatformImage":
                ctx.CheckFields(source, Path, PlatformFields);
                CheckPlatform(ctx, source);
                return new Info(kind, null);
            case "ManagedImage":
            {
                ctx.CheckFields(source, Path, ManagedFields);
                var imageId = ctx.String(source, "imageId", Path, required: true, hint: "give the managed image id, " + TemplateArmIds.ExampleOf(TemplateArmIds.ManagedImage));
                if (imageId is not null)
                    ctx.ResourceId(imageId, Path + ".imageId", TemplateArmIds.ManagedImage);
                return new Info(kind, null);
            }
            default:
            {
                ctx.CheckFields(source, Path, SharedFields);
                var versionId = ctx.String(source, "imageVersionId", Path, required: true,
                    hint: "give the gallery image version id, " + TemplateArmIds.ExampleOf(TemplateArmIds.GalleryImageVersion) + " (the version may be 'latest')");
                var id = versionId is null ? null : ctx.ResourceId(versionId, Path + ".imageVersionId", TemplateArmIds.GalleryImageVersion, allowLatestVersion: true);
                return new Info(kind, id);
            }
        }
    }

    private static void CheckPlatform(RuleContext ctx, JsonObject source)
    {
        foreach (var field in new[] { "publisher", "offer", "sku" })
        {
            var value = ctx.String(source, field, Path, required: true, hint: $"give the marketplace image {field} (az vm image list shows them)");
            if (value is not null && (value.Length > 128 || !ImageNamePart().IsMatch(value)))
                ctx.Fail(ValidationCodes.InvalidValue, Path + "." + field,
                    $"'{ImageTemplateNames.Printable(value)}' is invalid: use up to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        var version = ctx.String(source, "version", Path, required: true, hint: "use 'latest' or a version such as '18.04.202210180'");
        if (version is not null && !version.Equals("latest", StringComparison.OrdinalIgnoreCase) && !PlatformVersion().IsMatch(version))
            ctx.Fail(ValidationCodes.InvalidValue, Path + ".version",
                $"'{ImageTemplateNames.Printable(version)}' is invalid: use 'latest' or Major.Minor.Build digits such as '18.04.202210180'.");
        var plan = ctx.Object(source, "planInfo", Path, hint: "use {\"planName\": ..., \"planProduct\": ..., \"planPublisher\": ...}");
        if (plan is null)
            return;
        var planPath = Path + ".planInfo";
        ctx.CheckFields(plan, planPath, PlanFields);
        foreach (var field in new[] { "planName", "planProduct", "planPublisher" })
            ctx.String(plan, field, planPath, required: true, hint: "planInfo needs planName, planProduct and planPublisher together");
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageNamePart();

    [GeneratedRegex(@"^[0-9]{1,10}\.[0-9]{1,10}\.[0-9]{1,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlatformVersion();
}
