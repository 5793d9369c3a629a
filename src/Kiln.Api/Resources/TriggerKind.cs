using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Control.Persistence;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>
/// imageTemplates/triggers (2022-07-01+): kind SourceImage only, one per template, and the
/// template must be buildable by a trigger (azure-api.md §6): platform version latest or a
/// gallery source ending /versions/latest, auto-versioned gallery distribution, different source
/// and target definitions, template Succeeded, same location.
/// </summary>
public sealed class TriggerKind : IResourceKind
{
    public string Type => ResourceTypes.ImageTemplateTrigger;
    public bool Tracked => false;
    public bool CreateOnly => false;
    public bool ClientCreatable => true;

    public async Task<JsonObject> PrepareAsync(ArmContext ctx, ResourceId id, JsonObject body, StoredResource? existing)
    {
        var errors = new List<ArmErrorDetail>();
        var props = body["properties"] as JsonObject;
        if (props is null)
            errors.Add(new ArmErrorDetail("MissingProperty", "'properties' is required: {\"kind\": \"SourceImage\"}.", "properties"));
        string? kind = BodyRules.Enum(props, "kind", "properties.kind", ["SourceImage"], null, errors);
        if (existing is not null && kind is not null && ImageTemplateKind.Text(existing.Body["properties"]?["kind"]) != kind)
            errors.Add(new ArmErrorDetail("PropertyChangeNotAllowed", "A trigger's kind cannot change; delete and recreate it.", "properties.kind"));
        var template = await ctx.Store.GetAsync(id.Parent!.Key, ctx.Aborted)
            ?? throw ProviderResourceEndpoints.NotFound(id.Parent!);
        string? templateLocation = ImageTemplateKind.Text(template.Body["location"]);
        if (body["location"] is not null)
        {
            string? location = BodyRules.NormalizeLocation(body["location"], errors, false);
            if (location is not null && location != templateLocation)
                errors.Add(new ArmErrorDetail("InvalidLocation", $"The trigger's location must be the template's ('{templateLocation}').", "location"));
        }
        CheckTemplate(template.Body["properties"] as JsonObject, errors);
        BodyRules.ThrowIfAny(errors, "ValidationFailed");
        foreach (var other in await ctx.Store.ListAsync(Type, template.Key, ctx.Aborted))
        {
            if (other.Key != id.Key)
                throw KilnException.Conflict("TriggerAlreadyExists",
                    $"Image template '{template.Id}' already has a SourceImage trigger ('{other.Body["name"]}'); only one is allowed.");
        }
        return new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["kind"] = kind,
                ["status"] = new JsonObject { ["code"] = "Healthy", ["message"] = "Trigger is active.", ["time"] = ctx.Now.ToString("O") },
                ["provisioningState"] = "Succeeded",
            },
        };
    }

    private static void CheckTemplate(JsonObject? properties, List<ArmErrorDetail> errors)
    {
        const string Rule = "A SourceImage trigger needs ";
        if (ImageTemplateKind.Text(properties?["provisioningState"]) != "Succeeded")
            errors.Add(new ArmErrorDetail("TemplateNotReady", Rule + "an image template whose provisioningState is Succeeded.", "properties"));
        var source = properties?["source"] as JsonObject;
        string? sourceType = ImageTemplateKind.Text(source?["type"]);
        string? sourceDefinition = null;
        if (sourceType == "PlatformImage")
        {
            if (!string.Equals(ImageTemplateKind.Text(source?["version"]), "latest", StringComparison.OrdinalIgnoreCase))
                errors.Add(new ArmErrorDetail("InvalidTriggerSource", Rule + "the platform image source version to be 'latest'.", "properties.source.version"));
        }
        else if (sourceType == "SharedImageVersion")
        {
            string? versionId = ImageTemplateKind.Text(source?["imageVersionId"]);
            if (versionId is null || !versionId.EndsWith("/versions/latest", StringComparison.OrdinalIgnoreCase))
                errors.Add(new ArmErrorDetail("InvalidTriggerSource", Rule + "the gallery source imageVersionId to end in '/versions/latest'.", "properties.source.imageVersionId"));
            else
                sourceDefinition = versionId[..versionId.LastIndexOf("/versions/", StringComparison.OrdinalIgnoreCase)];
        }
        else
        {
            errors.Add(new ArmErrorDetail("InvalidTriggerSource", Rule + "a PlatformImage or SharedImageVersion source.", "properties.source.type"));
        }
        if (properties?["distribute"] is JsonArray distribute)
        {
            for (int i = 0; i < distribute.Count; i++)
            {
                if (ImageTemplateKind.Text(distribute[i]?["type"]) != "SharedImage")
                    continue;
                string? target = ImageTemplateKind.Text(distribute[i]?["galleryImageId"]);
                if (target is null)
                    continue;
                if (target.Contains("/versions/", StringComparison.OrdinalIgnoreCase))
                    errors.Add(new ArmErrorDetail("InvalidTriggerDistribute", Rule + "gallery distribution without a version (auto-versioning).",
                        $"properties.distribute[{i}].galleryImageId"));
                if (sourceDefinition is not null && ResourceId.TryParse(target, out var t) && ResourceId.TryParse(sourceDefinition, out var s) && t.Key == s.Key)
                    errors.Add(new ArmErrorDetail("InvalidTriggerDistribute", Rule + "source and distribute image definitions to differ.",
                        $"properties.distribute[{i}].galleryImageId"));
            }
        }
    }

    public Task OnDeletedAsync(ArmContext ctx, StoredResource deleted) => Task.CompletedTask;
}
