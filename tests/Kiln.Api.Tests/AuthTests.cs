using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kiln.Api.Tests.Support;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

public class AuthTests
{
    [Fact]
    public async Task DiscoveryAndTokenEndpointFollowTheAdfsShape()
    {
        await using var kiln = await TestKiln.StartAsync();
        using var anonymous = TestKiln.CreateTrustingClient(kiln.Server.Credentials.CaCertPath);
        anonymous.BaseAddress = kiln.Server.BaseUri;
        var config = JsonNode.Parse(await anonymous.GetStringAsync("/adfs/.well-known/openid-configuration"))!;
        Assert.Equal(new Uri(kiln.Server.BaseUri, "/adfs/oauth2/token").ToString(), config["token_endpoint"]!.GetValue<string>());
        var keys = JsonNode.Parse(await anonymous.GetStringAsync(config["jwks_uri"]!.GetValue<string>()))!;
        Assert.Equal("RS256", keys["keys"]![0]!["alg"]!.GetValue<string>());
        var subs = await kiln.GetAsync("/subscriptions?api-version=2019-11-01");
        Assert.Equal(kiln.Sub, subs.Body!["value"]![0]!["subscriptionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task APrincipalSeesOnlyItsOwnSubscriptions()
    {
        await using var kiln = await TestKiln.StartAsync();
        Assert.Equal(201, (await kiln.PutAsync(kiln.Rg("mine") + RgV, Group())).Status);
        var (other, secret) = await kiln.Server.Plane.Directory.CreateServicePrincipalAsync("other", CancellationToken.None);
        using var client = TestKiln.CreateTrustingClient(kiln.Server.Credentials.CaCertPath);
        client.BaseAddress = kiln.Server.BaseUri;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await TestKiln.GetTokenAsync(client, other.ClientId, secret));
        using var theirs = await client.GetAsync(kiln.Rg("mine") + RgV);
        Assert.Equal(404, (int)theirs.StatusCode);
        Assert.Equal("SubscriptionNotFound", JsonNode.Parse(await theirs.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        var list = JsonNode.Parse(await client.GetStringAsync("/subscriptions?api-version=2019-11-01"))!["value"]!.AsArray();
        Assert.Equal(other.Subscriptions[0], list.Single()!["subscriptionId"]!.GetValue<string>());
        using var own = await client.PutAsync($"/subscriptions/{other.Subscriptions[0]}/resourceGroups/mine{RgV}",
            new StringContent("""{"location":"westus2"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(201, (int)own.StatusCode);
    }
}
