using System.Text.Json.Nodes;

namespace Kiln.Api.Tests.Support;

/// <summary>Valid request bodies the tests start from (and break, in the malformed table).</summary>
public static class Bodies
{
    public const string V = "?api-version=2022-07-01";
    public const string RgV = "?api-version=2021-04-01";
    public const string ComputeV = "?api-version=2021-10-01";
    public const string IdentityV = "?api-version=2022-01-31-preview";

    public static JsonObject Group(string location = "westus2") => new() { ["location"] = location };

    public static JsonObject ImageDefinition() => JsonNode.Parse("""
        {"location":"westus2","tags":{},"properties":{"osType":"Linux","osState":"Generalized","hyperVGeneration":"V2",
         "identifier":{"publisher":"myIbPublisher","offer":"myOffer","sku":"18.04-LTS"},"disallowed":{}}}
        """)!.AsObject();

    public static JsonObject Template(string identityId, string galleryImageId) => JsonNode.Parse($$$"""
        {
          "location": "westus2",
          "tags": {"purpose": "test"},
          "identity": {"type": "UserAssigned", "userAssignedIdentities": {"{{{identityId}}}": {} } },
          "properties": {
            "buildTimeoutInMinutes": 60,
            "source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS",
                       "version": "latest", "exactVersion": "18.04.202210180"},
            "customize": [{"type": "Shell", "name": "hello", "inline": ["echo hello"]}],
            "optimize": {"vmBoot": {"state": "Enabled"}},
            "distribute": [{"type": "SharedImage", "galleryImageId": "{{{galleryImageId}}}", "runOutputName": "out1",
                            "targetRegions": [{"name": "westus2", "replicaCount": 1, "storageAccountType": "Standard_LRS"}]}]
          }
        }
        """)!.AsObject();
}
