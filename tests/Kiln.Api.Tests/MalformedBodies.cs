using System.Text.Json.Nodes;

namespace Kiln.Api.Tests;

/// <summary>
/// Edits that break one field of a valid body, each with the JSON path the error must name; the
/// rows of <see cref="MalformedRequestTests"/> apply them to a fresh template or image definition.
/// </summary>
internal static class MalformedBodies
{
    public static IEnumerable<(string Name, Action<JsonObject> Mutate, string Target)> TemplateEnvelope()
    {
        yield return ("no location", b => b.Remove("location"), "location");
        yield return ("location number", b => b["location"] = 3, "location");
        yield return ("location empty", b => b["location"] = "", "location");
        yield return ("location symbols", b => b["location"] = "west/us", "location");
        yield return ("tags array", b => b["tags"] = new JsonArray(), "tags");
        yield return ("tag value number", b => b["tags"] = new JsonObject { ["a"] = 1 }, "tags['a']");
        yield return ("51 tags", b => b["tags"] = new JsonObject(Enumerable.Range(0, 51).Select(i => KeyValuePair.Create($"t{i}", (JsonNode?)"v"))), "tags");
        yield return ("no identity", b => b.Remove("identity"), "identity");
        yield return ("identity string", b => b["identity"] = "UserAssigned", "identity");
        yield return ("identity SystemAssigned", b => b["identity"]!["type"] = "SystemAssigned", "identity.type");
        yield return ("identity no map", b => b["identity"]!.AsObject().Remove("userAssignedIdentities"), "identity.userAssignedIdentities");
        yield return ("identity two ids", b => b["identity"]!["userAssignedIdentities"]!["/subscriptions/{sub}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other"] = new JsonObject(), "identity.userAssignedIdentities");
        yield return ("identity key not an id", b => b["identity"]!["userAssignedIdentities"] = new JsonObject { ["myIdentity"] = new JsonObject() }, "identity.userAssignedIdentities['myIdentity']");
        yield return ("identity key is a gallery", b => b["identity"]!["userAssignedIdentities"] = new JsonObject { ["{gallery}"] = new JsonObject() }, "identity.userAssignedIdentities['{gallery}']");
        yield return ("identity missing", b => b["identity"]!["userAssignedIdentities"] = new JsonObject { ["{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ghost"] = new JsonObject() }, "identity.userAssignedIdentities['{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ghost']");
        yield return ("identity map array", b => b["identity"]!["userAssignedIdentities"] = new JsonArray(), "identity.userAssignedIdentities");
        yield return ("no properties", b => b.Remove("properties"), "properties");
        yield return ("properties array", b => b["properties"] = new JsonArray(), "properties");
        yield return ("properties string", b => b["properties"] = "x", "properties");
        yield return ("properties null", b => b["properties"] = null, "properties");
    }

    public static IEnumerable<(string Name, Action<JsonObject> Mutate, string Target)> TemplateContents()
    {
        JsonObject P(JsonObject b) => b["properties"]!.AsObject();
        yield return ("unknown source kind", b => P(b)["source"]!["type"] = "IsoImage", "properties.source.type");
        yield return ("no source", b => P(b).Remove("source"), "properties.source");
        yield return ("platform source without publisher", b => P(b)["source"]!.AsObject().Remove("publisher"), "properties.source.publisher");
        yield return ("unknown customizer kind", b => P(b)["customize"]![0]!["type"] = "Ansible", "properties.customize[0].type");
        yield return ("customize not an array", b => P(b)["customize"] = new JsonObject(), "properties.customize");
        yield return ("shell without script", b => P(b)["customize"]![0]!.AsObject().Remove("inline"), "properties.customize[0]");
        yield return ("unknown distributor kind", b => P(b)["distribute"]![0]!["type"] = "Floppy", "properties.distribute[0].type");
        yield return ("no distribute", b => P(b).Remove("distribute"), "properties.distribute");
        yield return ("runOutputName with space", b => P(b)["distribute"]![0]!["runOutputName"] = "a b", "properties.distribute[0].runOutputName");
        yield return ("gallery distribute without id", b => P(b)["distribute"]![0]!.AsObject().Remove("galleryImageId"), "properties.distribute[0].galleryImageId");
        yield return ("vmBoot state Maybe", b => P(b)["optimize"]!["vmBoot"]!["state"] = "Maybe", "properties.optimize.vmBoot.state");
        yield return ("build timeout 961", b => P(b)["buildTimeoutInMinutes"] = 961, "properties.buildTimeoutInMinutes");
        yield return ("build timeout string", b => P(b)["buildTimeoutInMinutes"] = "60", "properties.buildTimeoutInMinutes");
    }

    public static IEnumerable<(string Name, Action<JsonObject> Mutate, string Target)> ImageDefinition()
    {
        JsonObject P(JsonObject b) => b["properties"]!.AsObject();
        yield return ("no properties", b => b.Remove("properties"), "properties");
        yield return ("properties array", b => b["properties"] = new JsonArray(), "properties");
        yield return ("osType Mac", b => P(b)["osType"] = "Mac", "properties.osType");
        yield return ("no osType", b => P(b).Remove("osType"), "properties.osType");
        yield return ("osType number", b => P(b)["osType"] = 1, "properties.osType");
        yield return ("osState Running", b => P(b)["osState"] = "Running", "properties.osState");
        yield return ("no identifier", b => P(b).Remove("identifier"), "properties.identifier");
        yield return ("identifier string", b => P(b)["identifier"] = "a/b/c", "properties.identifier");
        yield return ("publisher empty", b => P(b)["identifier"]!["publisher"] = "", "properties.identifier.publisher");
        yield return ("offer number", b => P(b)["identifier"]!["offer"] = 3, "properties.identifier.offer");
        yield return ("no sku", b => P(b)["identifier"]!.AsObject().Remove("sku"), "properties.identifier.sku");
        yield return ("hyperVGeneration V3", b => P(b)["hyperVGeneration"] = "V3", "properties.hyperVGeneration");
        yield return ("architecture ppc", b => P(b)["architecture"] = "ppc64le", "properties.architecture");
        yield return ("features object", b => P(b)["features"] = new JsonObject(), "properties.features");
        yield return ("feature without name", b => P(b)["features"] = new JsonArray(new JsonObject { ["value"] = "x" }), "properties.features[0].name");
        yield return ("no location", b => b.Remove("location"), "location");
    }
}
