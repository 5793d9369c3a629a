using System.Text.Json.Nodes;
using Kiln.Domain.Templates;

namespace Kiln.Domain.Tests.Templates;

public sealed class ImageTemplateReadOnlyFieldsTests
{
    [Fact]
    public void A_whole_GET_result_sent_back_validates_and_strips_to_the_writable_fields()
    {
        var body = TemplateFixtures.Parse(TemplateFixtures.QuickstartFilled);
        body["id"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/t";
        body["name"] = "t";
        body["type"] = "Microsoft.VirtualMachineImages/imageTemplates";
        body["systemData"] = JsonNode.Parse("""{"createdBy":"me"}""");
        var identity = body["identity"]!["userAssignedIdentities"]![TemplateFixtures.IdentityId]!.AsObject();
        identity["principalId"] = "p";
        identity["clientId"] = "c";
        var props = body["properties"]!.AsObject();
        props["provisioningState"] = "Succeeded";
        props["ProvisioningError"] = JsonNode.Parse("""{"provisioningErrorCode":"Other","message":"m"}""");
        props["lastRunStatus"] = JsonNode.Parse("""{"runState":"Succeeded"}""");
        props["exactStagingResourceGroup"] = "/subscriptions/x/resourceGroups/IT_rg_t_1";

        Assert.Empty(ImageTemplateValidator.Validate(body, "2022-07-01"));
        var stripped = ImageTemplateReadOnlyFields.Strip(body);

        foreach (var gone in new[] { "id", "name", "type", "systemData" })
            Assert.False(stripped.ContainsKey(gone), gone);
        var strippedProps = stripped["properties"]!.AsObject();
        foreach (var gone in new[] { "provisioningState", "ProvisioningError", "lastRunStatus", "exactStagingResourceGroup" })
            Assert.False(strippedProps.ContainsKey(gone), gone);
        Assert.Empty(stripped["identity"]!["userAssignedIdentities"]![TemplateFixtures.IdentityId]!.AsObject());
        Assert.Equal(props["customize"]!.ToJsonString(), strippedProps["customize"]!.ToJsonString());
        Assert.True(body.ContainsKey("id")); // the input is untouched
    }

    [Fact]
    public void Paths_cover_the_documented_read_only_fields()
    {
        Assert.Contains("properties.source.exactVersion", ImageTemplateReadOnlyFields.Paths);
        Assert.Contains("properties.provisioningState", ImageTemplateReadOnlyFields.Paths);
        Assert.Contains("properties.lastRunStatus", ImageTemplateReadOnlyFields.Paths);
        Assert.Contains("properties.exactStagingResourceGroup", ImageTemplateReadOnlyFields.Paths);
    }
}
