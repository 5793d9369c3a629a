using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using Xunit.Abstractions;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>
/// A table of broken requests, all sent to one server: each must get its status and ARM error
/// code (and target where it names a field), none may answer 500, and nothing may be stored.
/// </summary>
public class MalformedRequestTests(ITestOutputHelper output)
{
    /// <param name="Absent">Path (with a valid api-version) that must still be 404 afterwards.</param>
    public sealed record Row(string Name, string Method, string Path, string? Body, int Status, string? Code = null, string? Target = null,
        string? Absent = null, string? Auth = null, string ContentType = "application/json");

    private const string T = "{rg}/providers/Microsoft.VirtualMachineImages/imageTemplates";
    private const string Good = "{rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/good";

    private static IEnumerable<Row> Rows()
    {
        // ---- template bodies: JSON itself
        foreach (var (name, body) in new[]
                 {
                     ("not json", "{"), ("array", "[]"), ("string", "\"x\""), ("null", "null"), ("number", "42"), ("empty", ""),
                     ("trailing garbage", "{}x"), ("duplicate keys", """{"location":"a","location":"b"}"""),
                     ("too deep", new string('[', 100) + new string(']', 100)), ("comment", "{/* c */}"), ("single quotes", "{'a':1}"),
                     ("bad escape", """{"location":"\q"}"""), ("truncated string", """{"location":"west"""),
                 })
            yield return new Row($"template body {name}", "PUT", $"{T}/bad{V}", body, 400, "InvalidRequestContent", Absent: $"{T}/bad{V}");
        // ---- template envelope
        foreach (var (name, mutate, target) in MalformedBodies.TemplateEnvelope())
        {
            var body = Template("{identity}", "{definition}");
            mutate(body);
            yield return new Row($"template {name}", "PUT", $"{T}/bad{V}", body.ToJsonString(), 400, "ValidationFailed", target, $"{T}/bad{V}");
        }
        // ---- template contents: rules of Kiln.Domain.Templates' validator, as the API reports them
        foreach (var (name, mutate, target) in MalformedBodies.TemplateContents())
        {
            var body = Template("{identity}", "{definition}");
            mutate(body);
            yield return new Row($"template {name}", "PUT", $"{T}/bad{V}", body.ToJsonString(), 400, "ValidationFailed", target, $"{T}/bad{V}");
        }
        string good = Template("{identity}", "{definition}").ToJsonString();
        // ---- names
        foreach (var (name, segment) in new[]
                 {
                     ("space", "a%20b"), ("too long", new string('a', 65)), ("star", "a*b"), ("unicode", "caf%C3%A9"), ("encoded slash", "a%2Fb"),
                     ("double dot inside", "a..b"), ("dot dot slash encoded", "..%2Fetc"), ("backslash", "a%5Cb"), ("colon", "a:b"), ("plus", "a+b"),
                 })
            yield return new Row($"template name {name}", "PUT", $"{T}/{segment}{V}", good, 400, "InvalidResourceName", "name");
        yield return new Row("template name ..", "PUT", $"{T}/..{V}", good, 400, "InvalidResourceName", "name");
        yield return new Row("template name encoded ..", "PUT", $"{T}/%2E%2E{V}", good, 400, "InvalidResourceName", "name");
        yield return new Row("template name . ", "PUT", $"{T}/.{V}", good, 400, "InvalidResourceName", "name");
        yield return new Row("traversal in group", "PUT", "/subscriptions/{sub}/resourceGroups/../resourceGroups/rg1" + RgV, "{\"location\":\"westus2\"}", 400, "InvalidResourceName", "name");
        // ---- api-version
        yield return new Row("no api-version", "PUT", $"{T}/bad", good, 400, "MissingApiVersionParameter", "api-version", $"{T}/bad{V}");
        yield return new Row("empty api-version", "PUT", $"{T}/bad?api-version=", good, 400, "MissingApiVersionParameter", "api-version", $"{T}/bad{V}");
        foreach (var v in new[] { "2019-01-01", "2022-07-02", "garbage", "2021-10-01", "2022-07-01-preview" })
            yield return new Row($"api-version {v}", "PUT", $"{T}/bad?api-version={v}", good, 400, "NoRegisteredProviderFound", "api-version", $"{T}/bad{V}");
        yield return new Row("trigger at 2022-02-14", "PUT", $"{Good}/triggers/source?api-version=2022-02-14", """{"properties":{"kind":"SourceImage"}}""", 400, "NoRegisteredProviderFound", Absent: $"{Good}/triggers/source{V}");
        yield return new Row("group wrong api-version", "PUT", "{rg0}?api-version=1999-01-01", "{\"location\":\"westus2\"}", 400, "NoRegisteredProviderFound", Absent: "{rg0}" + RgV);
        yield return new Row("gallery api-version of templates", "PUT", $"{{rg}}/providers/Microsoft.Compute/galleries/g2{V}", "{\"location\":\"westus2\"}", 400, "NoRegisteredProviderFound", Absent: "{rg}/providers/Microsoft.Compute/galleries/g2" + ComputeV);
        // ---- sizes
        string huge = "{\"location\":\"westus2\",\"tags\":{\"a\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";
        string justOver = "{\"location\":\"" + new string('x', 1024 * 1024) + "\"}";
        yield return new Row("2 MiB template", "PUT", $"{T}/bad{V}", huge, 413, "RequestEntityTooLarge", Absent: $"{T}/bad{V}");
        yield return new Row("1 MiB + template", "PUT", $"{T}/bad{V}", justOver, 413, "RequestEntityTooLarge", Absent: $"{T}/bad{V}");
        yield return new Row("2 MiB group", "PUT", "{rg0}" + RgV, huge, 413, "RequestEntityTooLarge", Absent: "{rg0}" + RgV);
        yield return new Row("2 MiB run body", "POST", $"{Good}/run{V}", huge, 413, "RequestEntityTooLarge");
        // ---- ids and paths
        yield return new Row("subscription not a guid", "GET", "/subscriptions/abc/resourceGroups/rg1" + RgV, null, 404, "SubscriptionNotFound");
        yield return new Row("someone else's subscription", "PUT", $"/subscriptions/{Guid.NewGuid()}/resourceGroups/rg1{RgV}", "{\"location\":\"westus2\"}", 404, "SubscriptionNotFound");
        yield return new Row("unknown resource type", "PUT", "{rg}/providers/Microsoft.Foo/bars/x" + V, "{}", 400, "InvalidResourceType");
        yield return new Row("unknown template child", "GET", $"{Good}/whatever/x{V}", null, 400, "InvalidResourceType");
        yield return new Row("unknown action", "POST", $"{Good}/explode{V}", null, 400, "InvalidAction", "action");
        yield return new Row("GET on run", "GET", $"{Good}/run{V}", null, 405, "MethodNotAllowed");
        yield return new Row("template in missing group", "PUT", $"/subscriptions/{{sub}}/resourceGroups/nogroup/providers/Microsoft.VirtualMachineImages/imageTemplates/t{V}", good, 404, "ResourceGroupNotFound");
        yield return new Row("definition in missing gallery", "PUT", "{rg}/providers/Microsoft.Compute/galleries/nogallery/images/d" + ComputeV, ImageDefinition().ToJsonString(), 404, "ParentResourceNotFound", Absent: "{rg}/providers/Microsoft.Compute/galleries/nogallery/images/d" + ComputeV);
        yield return new Row("trigger on missing template", "PUT", $"{T}/nothere/triggers/source{V}", """{"properties":{"kind":"SourceImage"}}""", 404, "ParentResourceNotFound");
        yield return new Row("PUT image version", "PUT", "{definition}/versions/1.0.0?api-version=2022-03-03", "{\"location\":\"westus2\"}", 405, "OperationNotAllowed", Absent: "{definition}/versions/1.0.0?api-version=2022-03-03");
        yield return new Row("PUT run output", "PUT", $"{Good}/runOutputs/out1{V}", "{}", 405, "OperationNotAllowed", Absent: $"{Good}/runOutputs/out1{V}");
        yield return new Row("not an ARM path", "GET", "/foo", null, 404, "InvalidRequestUri");
        yield return new Row("POST to group list", "POST", "/subscriptions/{sub}/resourcegroups" + RgV, null, 405, "MethodNotAllowed");
        yield return new Row("odd provider path", "GET", "/subscriptions/{sub}/resourceGroups/rg1/providers" + RgV, null, 400, "InvalidRequestUri");
        yield return new Row("get missing template", "GET", $"{T}/nothere{V}", null, 404, "ResourceNotFound");
        yield return new Row("run missing template", "POST", $"{T}/nothere/run{V}", null, 404, "ResourceNotFound");
        yield return new Row("patch missing template", "PATCH", $"{T}/nothere{V}", "{\"tags\":{}}", 404, "ResourceNotFound", Absent: $"{T}/nothere{V}");
        yield return new Row("patch properties", "PATCH", $"{Good}{V}", "{\"properties\":{}}", 400, "InvalidRequestContent", "properties");
        yield return new Row("patch tags wrong type", "PATCH", $"{Good}{V}", "{\"tags\":[1]}", 400, "InvalidRequestContent", "tags");
        yield return new Row("put over existing template", "PUT", $"{Good}{V}", good, 409, "Conflict");
        yield return new Row("unknown operation", "GET", $"/subscriptions/{{sub}}/providers/Microsoft.VirtualMachineImages/locations/westus2/operationStatuses/{Guid.NewGuid()}{V}", null, 404, "OperationNotFound");
        yield return new Row("DELETE an operation", "DELETE", $"/subscriptions/{{sub}}/providers/Microsoft.VirtualMachineImages/locations/westus2/operationStatuses/{Guid.NewGuid()}{V}", null, 405, "MethodNotAllowed");
        yield return new Row("unknown namespace", "GET", "/subscriptions/{sub}/providers/Microsoft.Nope" + RgV, null, 404, "InvalidResourceNamespace");
        yield return new Row("PUT a provider", "PUT", "/subscriptions/{sub}/providers/Microsoft.Compute" + RgV, "{}", 405, "MethodNotAllowed");
        yield return new Row("register with GET", "GET", "/subscriptions/{sub}/providers/Microsoft.Compute/register" + RgV, null, 400, "InvalidResourceType");
        // ---- auth
        yield return new Row("no token", "GET", "{rg}" + RgV, null, 401, "AuthenticationFailed", Auth: "");
        yield return new Row("garbage token", "GET", "{rg}" + RgV, null, 401, "InvalidAuthenticationToken", Auth: "Bearer abc");
        yield return new Row("three-part garbage token", "GET", "{rg}" + RgV, null, 401, "InvalidAuthenticationToken", Auth: "Bearer a.b.c");
        yield return new Row("tampered token", "GET", "{rg}" + RgV, null, 401, "InvalidAuthenticationToken", Auth: "{tampered}");
        yield return new Row("alg none token", "GET", "{rg}" + RgV, null, 401, "InvalidAuthenticationToken", Auth: "{algnone}");
        yield return new Row("basic auth", "GET", "{rg}" + RgV, null, 401, "AuthenticationFailed", Auth: "Basic dXNlcjpwYXNz");
        yield return new Row("no token on graph", "GET", "/graph/v1.0/servicePrincipals", null, 401, "AuthenticationFailed", Auth: "");
        // ---- resource groups
        yield return new Row("group name 91 chars", "PUT", $"/subscriptions/{{sub}}/resourceGroups/{new string('g', 91)}{RgV}", "{\"location\":\"westus2\"}", 400, "InvalidResourceGroupName", "name");
        yield return new Row("group name ends with dot", "PUT", "/subscriptions/{sub}/resourceGroups/grp." + RgV, "{\"location\":\"westus2\"}", 400, "InvalidResourceGroupName", "name");
        yield return new Row("group name star", "PUT", "/subscriptions/{sub}/resourceGroups/g*g" + RgV, "{\"location\":\"westus2\"}", 400, "InvalidResourceGroupName", "name");
        yield return new Row("group no location", "PUT", "{rg0}" + RgV, "{}", 400, "InvalidRequestContent", "location", "{rg0}" + RgV);
        yield return new Row("group location number", "PUT", "{rg0}" + RgV, "{\"location\":5}", 400, "InvalidRequestContent", "location", "{rg0}" + RgV);
        yield return new Row("group location symbols", "PUT", "{rg0}" + RgV, "{\"location\":\"west us 2!\"}", 400, "InvalidRequestContent", "location", "{rg0}" + RgV);
        yield return new Row("group tags string", "PUT", "{rg0}" + RgV, "{\"location\":\"westus2\",\"tags\":\"a\"}", 400, "InvalidRequestContent", "tags", "{rg0}" + RgV);
        yield return new Row("group moves location", "PUT", "{rg}" + RgV, "{\"location\":\"eastus\"}", 409, "InvalidResourceGroupLocation");
        // ---- identities
        string identityBase = "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/";
        yield return new Row("identity no location", "PUT", identityBase + "id9" + IdentityV, "{}", 400, "InvalidRequestContent", "location", identityBase + "id9" + IdentityV);
        yield return new Row("identity name too short", "PUT", identityBase + "ab" + IdentityV, "{\"location\":\"westus2\"}", 400, "InvalidResourceName", "name");
        yield return new Row("identity name leading dash", "PUT", identityBase + "-abc" + IdentityV, "{\"location\":\"westus2\"}", 400, "InvalidResourceName", "name");
        yield return new Row("identity old api-version", "PUT", identityBase + "id9?api-version=2015-08-31-preview", "{\"location\":\"westus2\"}", 400, "NoRegisteredProviderFound", Absent: identityBase + "id9" + IdentityV);
        // ---- galleries
        string galleries = "{rg}/providers/Microsoft.Compute/galleries/";
        yield return new Row("gallery name with dash", "PUT", galleries + "my-gallery" + ComputeV, "{\"location\":\"westus2\"}", 400, "InvalidResourceName", "name");
        yield return new Row("gallery name 81 chars", "PUT", galleries + new string('g', 81) + ComputeV, "{\"location\":\"westus2\"}", 400, "InvalidResourceName", "name");
        yield return new Row("gallery no location", "PUT", galleries + "g9" + ComputeV, "{}", 400, "InvalidRequestContent", "location", galleries + "g9" + ComputeV);
        yield return new Row("gallery properties string", "PUT", galleries + "g9" + ComputeV, "{\"location\":\"westus2\",\"properties\":\"x\"}", 400, "InvalidRequestContent", "properties", galleries + "g9" + ComputeV);
        yield return new Row("gallery description number", "PUT", galleries + "g9" + ComputeV, "{\"location\":\"westus2\",\"properties\":{\"description\":1}}", 400, "InvalidRequestContent", "properties.description", galleries + "g9" + ComputeV);
        yield return new Row("gallery moves location", "PUT", "{gallery}" + ComputeV, "{\"location\":\"eastus\"}", 400, "InvalidRequestContent", "location");
        // ---- image definitions
        foreach (var (name, mutate, target) in MalformedBodies.ImageDefinition())
        {
            var body = ImageDefinition();
            mutate(body);
            yield return new Row($"definition {name}", "PUT", "{gallery}/images/d9" + ComputeV, body.ToJsonString(), 400, "InvalidRequestContent", target, "{gallery}/images/d9" + ComputeV);
        }
        yield return new Row("definition name a..b", "PUT", "{gallery}/images/a..b" + ComputeV, ImageDefinition().ToJsonString(), 400, "InvalidResourceName", "name");
        yield return new Row("definition name trailing dash", "PUT", "{gallery}/images/abc-" + ComputeV, ImageDefinition().ToJsonString(), 400, "InvalidResourceName", "name");
        yield return new Row("definition changes identifier", "PUT", "{definition}" + ComputeV,
            ImageDefinition().ToJsonString().Replace("myOffer", "otherOffer", StringComparison.Ordinal), 400, "InvalidRequestContent", "properties.identifier.offer");
        yield return new Row("definition duplicate identifier", "PUT", "{gallery}/images/d8" + ComputeV, ImageDefinition().ToJsonString(), 409, "GalleryImageIdentifierAlreadyExists", Absent: "{gallery}/images/d8" + ComputeV);
        yield return new Row("delete gallery with images", "DELETE", "{gallery}" + ComputeV, null, 409, "CannotDeleteResource");
        // ---- role assignments
        string ra = "{rg}/providers/Microsoft.Authorization/roleAssignments/";
        string raV = "?api-version=2020-04-01-preview";
        string contributor = "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c";
        string g1 = Guid.NewGuid().ToString();
        yield return new Row("assignment name not a guid", "PUT", ra + "abc" + raV, $$$"""{"properties":{"roleDefinitionId":"{{{contributor}}}","principalId":"{principal}"}}""", 400, "InvalidRoleAssignmentId", "name");
        yield return new Row("assignment no properties", "PUT", ra + g1 + raV, "{}", 400, "InvalidRequestContent", "properties", ra + g1 + raV);
        yield return new Row("assignment unknown role", "PUT", ra + g1 + raV, $$$"""{"properties":{"roleDefinitionId":"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{{{Guid.NewGuid()}}}","principalId":"{principal}"}}""", 400, "RoleDefinitionDoesNotExist", "properties.roleDefinitionId", ra + g1 + raV);
        yield return new Row("assignment principal not guid", "PUT", ra + g1 + raV, $$$"""{"properties":{"roleDefinitionId":"{{{contributor}}}","principalId":"bob"}}""", 400, "InvalidPrincipalId", "properties.principalId", ra + g1 + raV);
        yield return new Row("assignment unknown principal", "PUT", ra + g1 + raV, $$$"""{"properties":{"roleDefinitionId":"{{{contributor}}}","principalId":"{{{Guid.NewGuid()}}}"}}""", 400, "PrincipalNotFound", "properties.principalId", ra + g1 + raV);
        yield return new Row("assignment role id number", "PUT", ra + g1 + raV, """{"properties":{"roleDefinitionId":7,"principalId":"{principal}"}}""", 400, "InvalidRequestContent", "properties.roleDefinitionId", ra + g1 + raV);
        yield return new Row("assignment in missing group", "PUT", $"/subscriptions/{{sub}}/resourceGroups/nogroup/providers/Microsoft.Authorization/roleAssignments/{g1}{raV}", $$$"""{"properties":{"roleDefinitionId":"{{{contributor}}}","principalId":"{principal}"}}""", 404, "ResourceGroupNotFound");
        yield return new Row("assignment bad api-version", "PUT", ra + g1 + "?api-version=2099-01-01", $$$"""{"properties":{"roleDefinitionId":"{{{contributor}}}","principalId":"{principal}"}}""", 400, "NoRegisteredProviderFound", Absent: ra + g1 + raV);
        yield return new Row("unknown role definition", "GET", $"{{rg}}/providers/Microsoft.Authorization/roleDefinitions/{Guid.NewGuid()}?api-version=2018-01-01-preview", null, 404, "RoleDefinitionDoesNotExist");
        // ---- triggers
        string trig = $"{Good}/triggers/";
        yield return new Row("trigger kind Schedule", "PUT", trig + "source" + V, """{"properties":{"kind":"Schedule"}}""", 400, "ValidationFailed", "properties.kind", trig + "source" + V);
        yield return new Row("trigger no properties", "PUT", trig + "source" + V, "{}", 400, "ValidationFailed", "properties", trig + "source" + V);
        yield return new Row("trigger other location", "PUT", trig + "source" + V, """{"location":"eastus","properties":{"kind":"SourceImage"}}""", 400, "ValidationFailed", "location", trig + "source" + V);
        yield return new Row("trigger name with space", "PUT", trig + "a%20b" + V, """{"properties":{"kind":"SourceImage"}}""", 400, "InvalidResourceName", "name");
        yield return new Row("trigger on pinned template", "PUT", "{rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/pinned/triggers/source" + V, """{"properties":{"kind":"SourceImage"}}""", 400, "ValidationFailed", "properties.source.version", "{rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/pinned/triggers/source" + V);
        // ---- token endpoint (OAuth error shape)
        yield return new Row("token wrong secret", "POST", "/adfs/oauth2/token", "grant_type=client_credentials&client_id={client}&client_secret=wrong&scope=x", 401, Auth: "", ContentType: "application/x-www-form-urlencoded");
        yield return new Row("token password grant", "POST", "/adfs/oauth2/token", "grant_type=password&client_id={client}", 400, Auth: "", ContentType: "application/x-www-form-urlencoded");
        yield return new Row("token json body", "POST", "/adfs/oauth2/token", "{\"grant_type\":\"client_credentials\"}", 400, Auth: "");
        yield return new Row("token unknown client", "POST", "/adfs/oauth2/token", $"grant_type=client_credentials&client_id={Guid.NewGuid()}&client_secret=x", 401, Auth: "", ContentType: "application/x-www-form-urlencoded");
    }

    [Fact]
    public async Task EveryMalformedRequestGetsItsErrorAndNothingIsStored()
    {
        await using var kiln = await TestKiln.StartAsync();
        var s = await Scenario.CreateAsync(kiln);
        Assert.Equal(201, (await kiln.PutAsync(s.TemplateId(kiln, "good") + V, Template(s.IdentityId, s.DefinitionId))).Status);
        var pinned = Template(s.IdentityId, s.DefinitionId);
        pinned["properties"]!["source"]!["version"] = "18.04.202210180";
        Assert.Equal(201, (await kiln.PutAsync(s.TemplateId(kiln, "pinned") + V, pinned)).Status);
        string token = kiln.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var parts = token.Split('.');
        string tampered = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];
        string algNone = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"alg\":\"none\"}")).TrimEnd('=') + "." + parts[1] + ".";
        string Fill(string text) => text
            .Replace("{rg0}", kiln.Rg("rg0"), StringComparison.Ordinal)
            .Replace("{rg}", kiln.Rg("rg1"), StringComparison.Ordinal)
            .Replace("{sub}", kiln.Sub, StringComparison.Ordinal)
            .Replace("{identity}", s.IdentityId, StringComparison.Ordinal)
            .Replace("{definition}", s.DefinitionId, StringComparison.Ordinal)
            .Replace("{gallery}", s.GalleryId, StringComparison.Ordinal)
            .Replace("{principal}", s.IdentityPrincipalId, StringComparison.Ordinal)
            .Replace("{client}", kiln.Server.Credentials.ClientId, StringComparison.Ordinal)
            .Replace("{tampered}", "Bearer " + tampered, StringComparison.Ordinal)
            .Replace("{algnone}", "Bearer " + algNone, StringComparison.Ordinal);

        var rows = Rows().ToList();
        Assert.True(rows.Count >= 100, $"the table has {rows.Count} rows; at least 100 are wanted");
        Assert.Equal(rows.Count, rows.Select(r => r.Name).Distinct().Count());
        var failures = new List<string>();
        using var raw = TestKiln.CreateTrustingClient(kiln.Server.Credentials.CaCertPath);
        foreach (var row in rows)
        {
            using var request = new HttpRequestMessage(new HttpMethod(row.Method),
                // As sent: no client-side folding of "." and ".." segments, so the server sees what an attacker sends.
                new Uri(kiln.Server.BaseUri.ToString().TrimEnd('/') + Fill(row.Path), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
            if (row.Body is not null)
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Fill(row.Body)))
                    { Headers = { ContentType = MediaTypeHeaderValue.Parse(row.ContentType) } };
            string auth = row.Auth is null ? "Bearer " + token : Fill(row.Auth);
            if (auth.Length > 0)
                request.Headers.TryAddWithoutValidation("Authorization", auth);
            using var response = await raw.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            JsonNode? body = null;
            try
            {
                body = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                failures.Add($"{row.Name}: body is not JSON: {text[..Math.Min(200, text.Length)]}");
                continue;
            }
            var error = body is JsonObject o ? o["error"] as JsonObject : null;
            string? code = error?["code"]?.GetValue<string>();
            string? target = error?["target"]?.GetValue<string>();
            var details = error?["details"]?.AsArray().Select(d => d?["target"]?.GetValue<string>()).ToList() ?? [];
            if ((int)response.StatusCode != row.Status)
                failures.Add($"{row.Name}: status {(int)response.StatusCode}, want {row.Status}: {text[..Math.Min(300, text.Length)]}");
            else if (row.Code is not null && code != row.Code)
                failures.Add($"{row.Name}: code {code}, want {row.Code}: {text[..Math.Min(300, text.Length)]}");
            else if (row.Target is not null && target != Fill(row.Target) && !details.Contains(Fill(row.Target)))
                failures.Add($"{row.Name}: target {target} / details [{string.Join(", ", details)}], want {Fill(row.Target)}");
            if (row.Absent is not null)
            {
                var after = await kiln.GetAsync(Fill(row.Absent));
                if (after.Status != 404)
                    failures.Add($"{row.Name}: {row.Absent} answers {after.Status} afterwards; it must not have been stored");
            }
        }
        output.WriteLine($"{rows.Count} rows, {failures.Count} failures");
        foreach (var f in failures)
            output.WriteLine(f);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Still serving, and only the fixtures exist.
        var templates = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/providers/Microsoft.VirtualMachineImages/imageTemplates{V}");
        Assert.Equal(["good", "pinned"], templates.Body!["value"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order().ToArray());
        var groups = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups{RgV}");
        Assert.Equal(["rg1"], groups.Body!["value"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray());
        var definitions = await kiln.GetAsync(s.GalleryId + "/images" + ComputeV);
        Assert.Single(definitions.Body!["value"]!.AsArray());
    }
}
