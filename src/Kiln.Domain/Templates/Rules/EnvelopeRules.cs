using System.Text.Json.Nodes;

namespace Kiln.Domain.Templates;

/// <summary>The ARM envelope: location, tags and the single user-assigned identity.</summary>
internal static class EnvelopeRules
{
    private static readonly FieldSet IdentityFields = new(FieldSet.Base("type", "userAssignedIdentities"), "principalId", "tenantId");

    public static void Check(RuleContext ctx, JsonObject body)
    {
        var location = ctx.String(body, "location", "", required: true, hint: "give the region, e.g. \"eastus\"");
        if (location is not null)
            CheckLocation(ctx, location, "location");
        ctx.StringMap(body, "tags", "", maxEntries: 50, maxKey: 512, maxValue: 256);
        CheckIdentity(ctx, body, forUpdate: false);
    }

    /// <summary>Region names: letters, digits and spaces ("eastus" or "East US").</summary>
    public static void CheckLocation(RuleContext ctx, string location, string target)
    {
        if (location.Length > 64 || !location.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ') || location.Trim().Length == 0)
            ctx.Fail(ValidationCodes.InvalidValue, target,
                $"'{ImageTemplateNames.Printable(location)}' is not a region name: use letters and digits, e.g. \"eastus\"" +
                (location.Contains('<') ? " (replace the '<placeholder>')." : "."));
    }

    /// <summary>
    /// The identity: on create exactly one user-assigned identity; on update (PATCH) it may be
    /// absent, or type 'None' (which removes the identity, as in the swagger's example).
    /// </summary>
    public static void CheckIdentity(RuleContext ctx, JsonObject body, bool forUpdate)
    {
        const string shape = "send {\"type\": \"UserAssigned\", \"userAssignedIdentities\": {\"<identity resource id>\": {}}}";
        var identity = ctx.Object(body, "identity", "", required: !forUpdate, hint: "an image template needs one user-assigned identity; " + shape);
        if (identity is null)
            return;
        ctx.CheckFields(identity, "identity", IdentityFields);
        var type = ctx.String(identity, "type", "identity", required: true, hint: "use \"UserAssigned\"");
        var canonical = type is null ? null : ctx.EnumValue(type, "identity.type", ["UserAssigned", "None"]);
        if (canonical == "None")
        {
            if (!forUpdate)
                ctx.Fail(ValidationCodes.InvalidValue, "identity.type",
                    "'None' is not allowed when creating an image template: it needs exactly one user-assigned identity; " + shape + ".");
            else if (ctx.Get(identity, "userAssignedIdentities") is JsonObject { Count: > 0 })
                ctx.Fail(ValidationCodes.Conflict, "identity.userAssignedIdentities",
                    "must be empty or absent with type 'None' (which removes the identity): remove it, or use type 'UserAssigned'.");
            return;
        }
        var ids = ctx.Object(identity, "userAssignedIdentities", "identity", required: true, hint: shape);
        if (ids is null)
            return;
        if (ids.Count != 1)
        {
            ctx.Fail(ValidationCodes.InvalidValue, "identity.userAssignedIdentities",
                $"has {ids.Count} identities: an image template supports exactly one user-assigned identity.");
        }
        foreach (var (key, value) in ids)
        {
            // Keys are ids, not field names, so errors point at the map and quote the key.
            const string target = "identity.userAssignedIdentities";
            ctx.ResourceId(key, target, TemplateArmIds.UserAssignedIdentity);
            if (value is not null and not JsonObject)
                ctx.Fail(ValidationCodes.InvalidType, target,
                    $"value of '{ImageTemplateNames.Printable(key)}' must be an object ({{}}), not {RuleContext.KindOf(value)}.");
        }
    }
}
