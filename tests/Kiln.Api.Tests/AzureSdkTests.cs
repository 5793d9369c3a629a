using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Models;
using Azure.ResourceManager.Resources;
using Kiln.Api.Tests.Support;

namespace Kiln.Api.Tests;

/// <summary>
/// Azure.ResourceManager 1.7.0 (GenericResource) pointed at Kiln with its generated certificate
/// trusted through the transport's handler: create, read and delete a gallery, an image
/// definition and an image template, letting the SDK pick api-versions from the provider; and follow list nextLinks.
/// </summary>
public class AzureSdkTests
{
    [Fact]
    public async Task GenericResourceCreatesReadsAndDeletes()
    {
        await using var kiln = await TestKiln.StartAsync();
        var creds = kiln.Server.Credentials;
        var arm = Client(kiln);
        var subscription = await arm.GetDefaultSubscriptionAsync();
        Assert.Equal(creds.SubscriptionId, subscription.Data.SubscriptionId);
        var group = (await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, "sdkGroup",
            new ResourceGroupData(AzureLocation.WestUS2))).Value;
        var generic = arm.GetGenericResources();

        var identityId = new ResourceIdentifier($"{group.Id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/sdkIdentity");
        var identity = (await generic.CreateOrUpdateAsync(WaitUntil.Completed, identityId, new GenericResourceData(AzureLocation.WestUS2))).Value;
        Assert.True(identity.Data.Properties.ToObjectFromJson<Dictionary<string, string>>()!.ContainsKey("principalId"));

        var galleryId = new ResourceIdentifier($"{group.Id}/providers/Microsoft.Compute/galleries/sdkGallery");
        var gallery = (await generic.CreateOrUpdateAsync(WaitUntil.Completed, galleryId, new GenericResourceData(AzureLocation.WestUS2)
        {
            Properties = BinaryData.FromString("""{"description":"made by the SDK test"}"""),
        })).Value;
        Assert.Equal("Succeeded", State(gallery.Data));

        var definitionId = new ResourceIdentifier($"{galleryId}/images/sdkDefinition");
        var definition = (await generic.CreateOrUpdateAsync(WaitUntil.Completed, definitionId, new GenericResourceData(AzureLocation.WestUS2)
        {
            Properties = BinaryData.FromString("""
                {"osType":"Linux","osState":"Generalized","hyperVGeneration":"V2",
                 "identifier":{"publisher":"kiln","offer":"sdk","sku":"1"},
                 "features":[{"name":"SecurityType","value":"TrustedLaunch"}]}
                """),
        })).Value;
        Assert.Equal("Microsoft.Compute/galleries/images", definition.Data.ResourceType.ToString());

        var templateId = new ResourceIdentifier($"{group.Id}/providers/Microsoft.VirtualMachineImages/imageTemplates/sdkTemplate");
        var templateData = new GenericResourceData(AzureLocation.WestUS2)
        {
            Identity = new ManagedServiceIdentity(ManagedServiceIdentityType.UserAssigned),
            Properties = BinaryData.FromString(Bodies.Template(identityId.ToString(), definitionId.ToString())["properties"]!.ToJsonString()),
        };
        templateData.Identity.UserAssignedIdentities.Add(identityId, new UserAssignedIdentity());
        templateData.Tags["made-by"] = "sdk";
        var template = (await generic.CreateOrUpdateAsync(WaitUntil.Completed, templateId, templateData)).Value;
        Assert.Equal("Succeeded", State(template.Data));

        var read = (await arm.GetGenericResource(templateId).GetAsync()).Value;
        Assert.Equal("sdk", read.Data.Tags["made-by"]);
        Assert.Equal(identityId.ToString(), read.Data.Identity.UserAssignedIdentities.Keys.Single().ToString(), ignoreCase: true);
        Assert.True(await generic.ExistsAsync(definitionId));

        await arm.GetGenericResource(templateId).DeleteAsync(WaitUntil.Completed);
        await arm.GetGenericResource(definitionId).DeleteAsync(WaitUntil.Completed);
        await arm.GetGenericResource(galleryId).DeleteAsync(WaitUntil.Completed);
        Assert.False(await generic.ExistsAsync(templateId));
        Assert.False(await generic.ExistsAsync(definitionId));
        Assert.False(await generic.ExistsAsync(galleryId));
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(templateId).GetAsync());
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task ResourceGroupListFollowsNextLinks()
    {
        await using var kiln = await TestKiln.StartAsync(listPageSize: 2);
        var subscription = await Client(kiln).GetDefaultSubscriptionAsync();
        for (int i = 1; i <= 5; i++)
            await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, $"sdk{i}", new ResourceGroupData(AzureLocation.WestUS2));
        var names = new List<string>();
        int pages = 0;
        await foreach (var page in subscription.GetResourceGroups().GetAllAsync().AsPages())
        {
            pages++;
            names.AddRange(page.Values.Select(g => g.Data.Name));
        }
        Assert.Equal(["sdk1", "sdk2", "sdk3", "sdk4", "sdk5"], names);
        Assert.Equal(3, pages);
    }

    private static ArmClient Client(TestKiln kiln)
    {
        var creds = kiln.Server.Credentials;
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(kiln.Server.BaseUri, kiln.Server.BaseUri.ToString()),
            Transport = new HttpClientTransport(TestKiln.TrustingHandler(creds.CaCertPath)),
        };
        options.Retry.MaxRetries = 0; // a server error must fail the test, not be retried away
        return new ArmClient(new KilnTokenCredential(kiln.Server.BaseUri, creds.CaCertPath, creds.ClientId, creds.ClientSecret),
            creds.SubscriptionId, options);
    }

    private static string? State(GenericResourceData data) =>
        System.Text.Json.Nodes.JsonNode.Parse(data.Properties.ToString())?["provisioningState"]?.GetValue<string>();
}
