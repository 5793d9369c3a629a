using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using Kiln.Domain.Arm;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>Resource behaviour through the real HTTP stack (raw HttpClient, generated cert trusted).</summary>
public class ResourceTests
{
    [Fact]
    public async Task ResourceGroupCrudIsCaseInsensitiveAndDeleteCascades()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln, "MyGroup");
        var lower = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups/mygroup{RgV}");
        Assert.Equal(200, lower.Status);
        Assert.Equal($"/subscriptions/{kiln.Sub}/resourceGroups/MyGroup", lower.Body!["id"]!.GetValue<string>());
        Assert.Equal("Succeeded", lower.Body!["properties"]!["provisioningState"]!.GetValue<string>());
        // az's double slash (empty parent path) reaches the same resource
        var gallery = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups/mygroup/providers/Microsoft.Compute//galleries/GALLERY1{ComputeV}");
        Assert.Equal(200, gallery.Status);
        var delete = await kiln.SendAsync(HttpMethod.Delete, kiln.Rg("MyGroup") + RgV);
        Assert.Equal(202, delete.Status);
        Assert.NotNull(delete.Response.Headers.Location);
        Assert.Equal("Succeeded", (await kiln.WaitForOperationAsync(delete.Response))["status"]!.GetValue<string>());
        var result = await kiln.SendAsync(HttpMethod.Get, delete.Response.Headers.Location!.ToString());
        Assert.Equal(204, result.Status);
        Assert.Equal(404, (await kiln.GetAsync(s.DefinitionId + ComputeV)).Status);
        Assert.Equal(404, (await kiln.GetAsync(s.IdentityId + IdentityV)).Status);
        var missing = await kiln.GetAsync(kiln.Rg("MyGroup") + RgV);
        Assert.Equal("ResourceGroupNotFound", missing.Body!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingAGroupLeavesGroupsWithTheSameNamePrefix()
    {
        await using var kiln = await TestKiln.StartAsync();
        await Scenario.CreateAsync(kiln, "rg1");
        var s10 = await Scenario.CreateAsync(kiln, "rg10");
        Assert.Equal(202, (await kiln.SendAsync(HttpMethod.Delete, kiln.Rg("rg1") + RgV)).Status);
        Assert.Equal(200, (await kiln.GetAsync(s10.DefinitionId + ComputeV)).Status);
        Assert.Equal(200, (await kiln.GetAsync(s10.IdentityId + IdentityV)).Status);
    }

    [Fact]
    public async Task ProvidersRegisterAtOnceAndListApiVersions()
    {
        await using var kiln = await TestKiln.StartAsync();
        string p = $"/subscriptions/{kiln.Sub}/providers/microsoft.virtualmachineimages";
        Assert.Equal("NotRegistered", (await kiln.GetAsync(p + RgV)).Body!["registrationState"]!.GetValue<string>());
        var reg = await kiln.SendAsync(HttpMethod.Post, p + "/register" + RgV);
        Assert.Equal("Registered", reg.Body!["registrationState"]!.GetValue<string>());
        var shown = (await kiln.GetAsync(p + RgV)).Body!;
        Assert.Equal("Registered", shown["registrationState"]!.GetValue<string>());
        var types = shown["resourceTypes"]!.AsArray();
        var templates = types.Single(t => t!["resourceType"]!.GetValue<string>() == "imageTemplates")!;
        Assert.Contains("2022-02-14", templates["apiVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task RoleAssignmentsPutListDeleteAndConflict()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        var defs = await kiln.GetAsync($"{kiln.Rg("rg1")}/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'Contributor'&api-version=2018-01-01-preview");
        var def = defs.Body!["value"]!.AsArray().Single()!;
        Assert.Equal("b24988ac-6180-42a0-ab88-20f7382dd24c", def["name"]!.GetValue<string>());
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = def["id"]!.GetValue<string>(), ["principalId"] = s.IdentityPrincipalId, ["principalType"] = "ServicePrincipal",
            },
        };
        string a1 = $"{kiln.Rg("rg1")}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2020-04-01-preview";
        var created = await kiln.PutAsync(a1, body);
        Assert.Equal(201, created.Status);
        Assert.Equal(kiln.Rg("rg1"), created.Body!["properties"]!["scope"]!.GetValue<string>());
        var again = await kiln.PutAsync($"{kiln.Rg("rg1")}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2020-04-01-preview", body);
        Assert.Equal(409, again.Status);
        Assert.Equal("RoleAssignmentExists", again.Body!["error"]!["code"]!.GetValue<string>());
        var list = await kiln.GetAsync($"{kiln.Rg("rg1")}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()&api-version=2020-04-01-preview");
        Assert.Single(list.Body!["value"]!.AsArray());
        Assert.Equal(200, (await kiln.SendAsync(HttpMethod.Delete, a1)).Status);
        Assert.Equal(404, (await kiln.GetAsync(a1)).Status);
        // Graph resolves the identity's clientId to its principal id, as az needs
        var graph = await kiln.GetAsync($"/graph/v1.0/servicePrincipals?$filter=servicePrincipalNames/any(c:c%20eq%20'{s.IdentityClientId}')");
        Assert.Equal(s.IdentityPrincipalId, graph.Body!["value"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplatePutIgnoresReadOnlyFieldsRefusesOverwriteAndPatchesTags()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        string t = s.TemplateId(kiln);
        var created = await kiln.PutAsync(t + V, Template(s.IdentityId, s.DefinitionId));
        Assert.Equal(201, created.Status);
        Assert.True(created.Response.Headers.Contains("Azure-AsyncOperation"));
        Assert.Equal("Succeeded", (await kiln.WaitForOperationAsync(created.Response))["status"]!.GetValue<string>());
        var got = (await kiln.GetAsync(t + "?api-version=2022-02-14")).Body!;
        Assert.Equal("Succeeded", got["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Null(got["properties"]!["source"]!["exactVersion"]);
        Assert.Equal(s.IdentityPrincipalId, got["identity"]!["userAssignedIdentities"]![s.IdentityId]!["principalId"]!.GetValue<string>());
        var conflict = await kiln.PutAsync(t + V, Template(s.IdentityId, s.DefinitionId));
        Assert.Equal(409, conflict.Status);
        var patched = await kiln.SendAsync(HttpMethod.Patch, t + V, """{"tags":{"env":"dev"}}""");
        Assert.Equal(200, patched.Status);
        Assert.Equal("dev", (await kiln.GetAsync(t + V)).Body!["tags"]!["env"]!.GetValue<string>());
        string second = $"{kiln.Rg("rg1")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2";
        var id2 = await kiln.PutAsync(second + IdentityV, Group());
        var identityPatch = await kiln.SendAsync(HttpMethod.Patch, t + V,
            $$$"""{"identity":{"type":"UserAssigned","userAssignedIdentities":{"{{{second}}}":{} } } }""");
        Assert.Equal(200, identityPatch.Status);
        Assert.Equal(id2.Body!["properties"]!["clientId"]!.GetValue<string>(),
            identityPatch.Body!["identity"]!["userAssignedIdentities"]![second]!["clientId"]!.GetValue<string>());
        var badPatch = await kiln.SendAsync(HttpMethod.Patch, t + V, """{"properties":{"buildTimeoutInMinutes":5}}""");
        Assert.Equal(400, badPatch.Status);
        var list = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/providers/Microsoft.VirtualMachineImages/imageTemplates{V}");
        Assert.Single(list.Body!["value"]!.AsArray());
        var delete = await kiln.SendAsync(HttpMethod.Delete, t + V);
        Assert.Equal(202, delete.Status);
        Assert.Equal("Succeeded", (await kiln.WaitForOperationAsync(delete.Response))["status"]!.GetValue<string>());
        Assert.Equal(404, (await kiln.GetAsync(t + V)).Status);
    }

    [Fact]
    public async Task RunWithoutBuildEngineFailsWithBuildEngineUnavailable()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        string t = s.TemplateId(kiln);
        Assert.Equal(201, (await kiln.PutAsync(t + V, Template(s.IdentityId, s.DefinitionId))).Status);
        var run = await kiln.SendAsync(HttpMethod.Post, t + "/run?api-version=2022-02-14");
        Assert.Equal(202, run.Status);
        Assert.True(run.Response.Headers.Contains("retry-after-ms"));
        var op = await kiln.WaitForOperationAsync(run.Response);
        Assert.Equal("Failed", op["status"]!.GetValue<string>());
        Assert.Equal("BuildEngineUnavailable", op["error"]!["code"]!.GetValue<string>());
        Assert.NotNull(op["endTime"]);
        var status = (await kiln.GetAsync(t + V)).Body!["properties"]!["lastRunStatus"]!;
        Assert.Equal("Failed", status["runState"]!.GetValue<string>());
        Assert.Empty((await kiln.GetAsync(t + "/runOutputs" + V)).Body!["value"]!.AsArray());
    }

    [Fact]
    public async Task CancelStopsARunningBuild()
    {
        var engine = new BlockingEngine();
        await using var kiln = await TestKiln.StartAsync(engine: engine);
        var s = await Scenario.CreateAsync(kiln);
        string t = s.TemplateId(kiln);
        Assert.Equal(201, (await kiln.PutAsync(t + V, Template(s.IdentityId, s.DefinitionId))).Status);
        var run = await kiln.SendAsync(HttpMethod.Post, t + "/run" + V);
        await engine.Started.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(409, (await kiln.SendAsync(HttpMethod.Post, t + "/run" + V)).Status);
        var cancel = await kiln.SendAsync(HttpMethod.Post, t + "/cancel" + V);
        Assert.Equal(202, cancel.Status);
        Assert.Equal("Succeeded", (await kiln.WaitForOperationAsync(cancel.Response))["status"]!.GetValue<string>());
        Assert.Equal("Canceled", (await kiln.WaitForOperationAsync(run.Response))["status"]!.GetValue<string>());
        Assert.Equal("Canceled", (await kiln.GetAsync(t + V)).Body!["properties"]!["lastRunStatus"]!["runState"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImageVersionsComeFromControlAndAreReadListedDeleted()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        ResourceId.TryParse(s.DefinitionId, out var def);
        await kiln.Server.Plane.ImageVersions.CreateAsync(def, "1.0.0", new JsonObject
        {
            ["publishingProfile"] = new JsonObject { ["targetRegions"] = new JsonArray(new JsonObject { ["name"] = "westus2", ["regionalReplicaCount"] = 1 }) },
        }, "test", CancellationToken.None);
        var list = await kiln.GetAsync(s.DefinitionId + "/versions?api-version=2022-03-03");
        var version = list.Body!["value"]!.AsArray().Single()!;
        Assert.Equal("Completed", version["properties"]!["replicationStatus"]!["aggregatedState"]!.GetValue<string>());
        Assert.Equal(405, (await kiln.PutAsync(s.DefinitionId + "/versions/2.0.0?api-version=2022-03-03", Group())).Status);
        // the definition cannot go while it has versions
        Assert.Equal(409, (await kiln.SendAsync(HttpMethod.Delete, s.DefinitionId + ComputeV)).Status);
        Assert.Equal(202, (await kiln.SendAsync(HttpMethod.Delete, s.DefinitionId + "/versions/1.0.0?api-version=2022-03-03")).Status);
        Assert.Empty((await kiln.GetAsync(s.DefinitionId + "/versions?api-version=2022-03-03")).Body!["value"]!.AsArray());

        // run outputs are written by builds through Control and read through the Api
        string t = s.TemplateId(kiln);
        Assert.Equal(201, (await kiln.PutAsync(t + V, Template(s.IdentityId, s.DefinitionId))).Status);
        ResourceId.TryParse(t, out var templateId);
        await kiln.Server.Plane.ImageVersions.RecordRunOutputAsync(templateId, "out1", s.DefinitionId + "/versions/1.0.0", null, CancellationToken.None);
        var output = await kiln.GetAsync(t + "/runOutputs/out1?api-version=2022-02-14");
        Assert.Equal(200, output.Status);
        Assert.Equal(s.DefinitionId + "/versions/1.0.0", output.Body!["properties"]!["artifactId"]!.GetValue<string>());
        Assert.Equal("Microsoft.VirtualMachineImages/imageTemplates/runOutputs", output.Body!["type"]!.GetValue<string>());
        Assert.Single((await kiln.GetAsync(t + "/runOutputs" + V)).Body!["value"]!.AsArray());
    }
}
