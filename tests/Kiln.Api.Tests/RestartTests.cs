using System.Net.Http.Headers;
using Kiln.Api.Tests.Support;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>State lives in the data folder: a new host over the same folder sees everything, and no run stays Running.</summary>
public class RestartTests
{
    [Fact]
    public async Task EverythingSurvivesARestartAndInterruptedRunsFail()
    {
        string dir = TestKiln.NewDataDir();
        try
        {
            Scenario s;
            string token, run;
            string tenant, secret;
            var engine = new BlockingEngine();
            await using (var first = await TestKiln.StartAsync(dir, engine))
            {
                s = await Scenario.CreateAsync(first);
                Assert.Equal(201, (await first.PutAsync(s.TemplateId(first) + V, Template(s.IdentityId, s.DefinitionId))).Status);
                var started = await first.SendAsync(HttpMethod.Post, s.TemplateId(first) + "/run" + V);
                run = started.Response.Headers.GetValues("Azure-AsyncOperation").Single();
                await engine.Started.Task.WaitAsync(TimeSpan.FromMinutes(1));
                token = first.Client.DefaultRequestHeaders.Authorization!.Parameter!;
                tenant = first.Server.Credentials.TenantId;
                secret = first.Server.Credentials.ClientSecret;
            }
            await using var second = await TestKiln.StartAsync(dir);
            Assert.Equal(tenant, second.Server.Credentials.TenantId);
            Assert.Equal(secret, second.Server.Credentials.ClientSecret);
            // A token from before the restart is still valid (the signing key is persisted).
            second.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            foreach (var path in new[]
                     {
                         second.Rg(s.Rg) + RgV, s.IdentityId + IdentityV, s.GalleryId + ComputeV, s.DefinitionId + ComputeV, s.TemplateId(second) + V,
                     })
                Assert.True((await second.GetAsync(path)).Status == 200, $"{path} is gone after the restart");
            var op = await second.GetAsync(new Uri(run).PathAndQuery);
            Assert.Equal("Failed", op.Body!["status"]!.GetValue<string>());
            Assert.Equal("RunInterrupted", op.Body!["error"]!["code"]!.GetValue<string>());
            var status = (await second.GetAsync(s.TemplateId(second) + V)).Body!["properties"]!["lastRunStatus"]!;
            Assert.Equal("Failed", status["runState"]!.GetValue<string>());
            var assignments = await second.GetAsync(
                $"/graph/v1.0/servicePrincipals?$filter=servicePrincipalNames/any(c:c%20eq%20'{s.IdentityClientId}')");
            Assert.Equal(s.IdentityPrincipalId, assignments.Body!["value"]![0]!["id"]!.GetValue<string>());
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }
}
