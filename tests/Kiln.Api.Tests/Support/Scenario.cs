using System.Text.Json.Nodes;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests.Support;

/// <summary>A group with an identity, a gallery and an image definition, made through the HTTP API.</summary>
public sealed record Scenario(string Rg, string IdentityId, string IdentityClientId, string IdentityPrincipalId, string GalleryId, string DefinitionId)
{
    public static async Task<Scenario> CreateAsync(TestKiln kiln, string rg = "rg1")
    {
        var (status, _, _) = await kiln.PutAsync(kiln.Rg(rg) + RgV, Group());
        Assert.True(status is 200 or 201, $"group create: {status}");
        string identityId = $"{kiln.Rg(rg)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
        var identity = await kiln.PutAsync(identityId + IdentityV, Group());
        Assert.Equal(201, identity.Status);
        string galleryId = $"{kiln.Rg(rg)}/providers/Microsoft.Compute/galleries/gallery1";
        Assert.Equal(201, (await kiln.PutAsync(galleryId + ComputeV, new JsonObject { ["location"] = "westus2", ["tags"] = new JsonObject() })).Status);
        string definitionId = galleryId + "/images/def1";
        var definition = await kiln.PutAsync(definitionId + ComputeV, ImageDefinition());
        Assert.True(definition.Status == 201, definition.Body?.ToJsonString());
        return new Scenario(rg, identityId, identity.Body!["properties"]!["clientId"]!.GetValue<string>(),
            identity.Body!["properties"]!["principalId"]!.GetValue<string>(), galleryId, definitionId);
    }

    public string TemplateId(TestKiln kiln, string name = "t1") =>
        $"{kiln.Rg(Rg)}/providers/Microsoft.VirtualMachineImages/imageTemplates/{name}";
}
