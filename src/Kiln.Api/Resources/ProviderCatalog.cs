using System.Text.Json.Nodes;
using Kiln.Domain.Arm;

namespace Kiln.Api.Resources;

/// <summary>
/// What GET /subscriptions/{s}/providers/{ns} reports: resource types with locations and
/// apiVersions (az and GenericResource pick an api-version from these when none is given).
/// </summary>
public static class ProviderCatalog
{
    public static readonly IReadOnlyList<string> Locations =
        ["eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northeurope", "westeurope", "uksouth", "southeastasia"];

    private static readonly Dictionary<string, string[]> TypesByNamespace = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.VirtualMachineImages"] = ["imageTemplates", "imageTemplates/runOutputs", "imageTemplates/triggers", "locations/operationStatuses", "operations"],
        ["Microsoft.Compute"] = ["galleries", "galleries/images", "galleries/images/versions", "locations/operationStatuses"],
        ["Microsoft.ManagedIdentity"] = ["userAssignedIdentities", "operations"],
        ["Microsoft.Authorization"] = ["roleAssignments", "roleDefinitions"],
        ["Microsoft.Resources"] = ["resourceGroups", "subscriptions"],
        ["Microsoft.KeyVault"] = ["vaults"],
        ["Microsoft.Storage"] = ["storageAccounts"],
        ["Microsoft.Network"] = ["virtualNetworks"],
    };

    public static JsonObject Provider(string subscription, string ns, string registrationState)
    {
        var types = new JsonArray();
        foreach (var t in TypesByNamespace[ns])
        {
            var versions = ApiVersions.For(ns + "/" + t).Reverse().ToArray();
            types.Add(new JsonObject
            {
                ["resourceType"] = t,
                ["locations"] = new JsonArray(Locations.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
                ["apiVersions"] = new JsonArray(versions.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                ["defaultApiVersion"] = versions[0],
                ["capabilities"] = "None",
            });
        }
        return new JsonObject
        {
            ["id"] = $"/subscriptions/{subscription}/providers/{ns}",
            ["namespace"] = ns,
            ["registrationState"] = registrationState,
            ["registrationPolicy"] = "RegistrationRequired",
            ["resourceTypes"] = types,
        };
    }
}
