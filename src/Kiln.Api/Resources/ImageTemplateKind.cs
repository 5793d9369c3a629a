using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;
using Kiln.Domain.Templates;

namespace Kiln.Api.Resources;

/// <summary>
/// Microsoft.VirtualMachineImages/imageTemplates. The envelope (location, tags, identity) is
/// checked here, the properties by <see cref="ImageTemplateValidator"/>; every problem comes
/// back at once as 400 ValidationFailed. Read-only fields a client sends (the quickstart's
/// exactVersion) are dropped, not rejected.
/// </summary>
public sealed class ImageTemplateKind : IResourceKind
{
    public string Type => ResourceTypes.ImageTemplate;
    public bool Tracked => true;
    public bool CreateOnly => true;
    public bool ClientCreatable => true;

    private static readonly string[] ReadOnlyProperties =
        ["provisioningState", "provisioningError", "lastRunStatus", "exactStagingResourceGroup"];

    public async Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing)
    {
        var errors = new List<ArmErrorDetail>();
        string? location = BodyRules.NormalizeLocation(body["location"], errors, true);
        var tags = BodyRules.Tags(body["tags"], errors);
        var identity = await ResolveIdentityAsync(ctx, body["identity"], errors);
        var clean = (JsonObject)body.DeepClone();
        if (clean["properties"] is JsonObject props)
        {
            foreach (var ro in ReadOnlyProperties)
                props.Remove(ro);
            if (props["source"] is JsonObject source)
                source.Remove("exactVersion");
        }
        if (clean["properties"] is JsonObject)
        {
            // The validator also looks at the envelope; one report per field is enough.
            var reported = errors.Select(e => Root(e.Target)).ToHashSet(StringComparer.Ordinal);
            foreach (var e in ImageTemplateValidator.Validate(clean, ctx.ApiVersion!))
            {
                if (!reported.Contains(Root(e.Target)))
                    errors.Add(new ArmErrorDetail(e.Code, e.Message, e.Target));
            }
        }
        else
        {
            errors.Add(new ArmErrorDetail(clean["properties"] is null ? "MissingProperty" : "InvalidProperty",
                "'properties' is required and must be an object (source, customize, distribute…).", "properties"));
        }
        if (errors.Count > 0)
        {
            string summary = string.Join(" ", errors.Take(5).Select(e => $"'{e.Target}': {e.Message}"));
            throw new KilnException(KilnErrorKind.Validation, "ValidationFailed",
                $"Validation failed: {summary} Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements.",
                errors[0].Target, errors);
        }
        var properties = (JsonObject)clean["properties"]!.DeepClone();
        properties["provisioningState"] = "Succeeded";
        return new JsonObject
        {
            ["location"] = location,
            ["tags"] = tags,
            ["identity"] = identity,
            ["properties"] = properties,
        };
    }

    /// <summary>identity {type: UserAssigned, userAssignedIdentities: {id: {}}}: exactly one existing identity; fills principalId/clientId.</summary>
    public static async Task<JsonObject?> ResolveIdentityAsync(ArmContext ctx, JsonNode? node, List<ArmErrorDetail> errors)
    {
        if (node is not JsonObject identity)
        {
            errors.Add(new ArmErrorDetail(node is null ? "MissingProperty" : "InvalidProperty",
                "'identity' is required: {\"type\": \"UserAssigned\", \"userAssignedIdentities\": {\"<identity id>\": {}}}.", "identity"));
            return null;
        }
        string? type = BodyRules.Enum(identity, "type", "identity.type", ["UserAssigned", "None"], null, errors);
        var map = identity["userAssignedIdentities"];
        if (type == "None")
        {
            if (map is JsonObject { Count: > 0 })
                errors.Add(new ArmErrorDetail("InvalidProperty", "identity.type None cannot list userAssignedIdentities.", "identity.userAssignedIdentities"));
            return new JsonObject { ["type"] = "None" };
        }
        if (type is null)
            return null;
        if (map is not JsonObject identities || identities.Count != 1)
        {
            errors.Add(new ArmErrorDetail("InvalidProperty",
                "'identity.userAssignedIdentities' must be an object with exactly one user-assigned identity id as its key.",
                "identity.userAssignedIdentities"));
            return null;
        }
        var (key, _) = identities.First();
        string path = $"identity.userAssignedIdentities['{key}']";
        if (!ResourceId.TryParse(key, out var identityId) || identityId.Type != ResourceTypes.UserAssignedIdentity)
        {
            errors.Add(new ArmErrorDetail("InvalidResourceId", $"'{key}' is not a user-assigned identity resource id.", path));
            return null;
        }
        var stored = ctx.Caller.Subscriptions.Contains(identityId.Subscription, StringComparer.OrdinalIgnoreCase)
            ? await ctx.Store.GetAsync(identityId.Key, ctx.Aborted) : null;
        if (stored is null)
        {
            errors.Add(new ArmErrorDetail("IdentityNotFound", $"The user-assigned identity '{key}' does not exist.", path));
            return null;
        }
        var p = stored.Body["properties"] as JsonObject;
        return new JsonObject
        {
            ["type"] = "UserAssigned",
            ["userAssignedIdentities"] = new JsonObject
            {
                [key] = new JsonObject { ["principalId"] = p?["principalId"]?.DeepClone(), ["clientId"] = p?["clientId"]?.DeepClone() },
            },
        };
    }

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted) => Task.CompletedTask;

    private static string Root(string? target) =>
        target is null ? "" : target.Split('.', '[')[0];

    internal static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
