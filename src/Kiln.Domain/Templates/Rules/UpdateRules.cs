using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>
/// PATCH bodies (ImageTemplateUpdateParameters): tags and identity in every api-version;
/// 2024-02-01 adds properties.distribute and properties.vmProfile.
/// </summary>
internal static class UpdateRules
{
    private static readonly FieldSet PropertiesFields = new(FieldSet.Base("distribute", "vmProfile"));

    public static void Check(RuleContext ctx, JsonObject body)
    {
        ctx.StringMap(body, "tags", "", maxEntries: 50, maxKey: 512, maxValue: 256);
        EnvelopeRules.CheckIdentity(ctx, body, forUpdate: true);
        var props = ctx.Object(body, "properties", "", hint: "only distribute and vmProfile can be updated");
        if (props is null)
            return;
        if (ctx.Level < TemplateApiLevel.V2024_02_01)
        {
            ctx.Fail(ValidationCodes.NotSupportedInApiVersion, "properties",
                $"cannot be updated in api-version {ctx.ApiVersion} (only tags and identity): use api-version 2024-02-01 to update distribute or vmProfile, or delete and re-create the template.");
            return;
        }
        // 2024-02-01 matches names exactly, so strict field checks apply here too.
        ctx.CheckFields(props, "properties", PropertiesFields);
        DistributorRules.Check(ctx, props, source: null, required: false);
        PropertiesRules.CheckVmProfile(ctx, props);
    }
}
