using System.Text.Json.Nodes;
using Kiln.Api.Http;
using Kiln.Api.Tests.Support;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>ARM list paging over HTTP with a page size of 2: nextLink shape, following it to the end, refused tokens.</summary>
public class PagingTests
{
    private const int PageSize = 2;

    /// <summary>Follows nextLinks from <paramref name="firstUrl"/>; every page within the size, every link absolute on Kiln's host with the api-version.</summary>
    private static async Task<List<string>> NamesAcrossPagesAsync(TestKiln kiln, string firstUrl, string apiVersion)
    {
        var names = new List<string>();
        string? url = firstUrl;
        for (int page = 0; url is not null; page++)
        {
            Assert.True(page < 20, "more than 20 pages: the nextLinks do not end");
            var (status, body, _) = await kiln.GetAsync(url);
            Assert.True(status == 200, $"page {page}: {status} {body?.ToJsonString()}");
            var value = body!["value"]!.AsArray();
            Assert.True(value.Count <= PageSize, $"page {page} holds {value.Count} items");
            names.AddRange(value.Select(v => v!["name"]!.GetValue<string>()));
            url = body["nextLink"]?.GetValue<string>();
            if (url is null)
                break;
            var link = new Uri(url);
            Assert.Equal(kiln.Server.BaseUri.Authority, link.Authority);
            Assert.Contains(apiVersion, link.Query);
            Assert.Contains(ArmPaging.SkipToken + "=", link.Query);
        }
        return names;
    }

    [Fact]
    public async Task ListsPageAndNextLinksReachEveryItemOnce()
    {
        await using var kiln = await TestKiln.StartAsync(listPageSize: PageSize);
        var s = await Scenario.CreateAsync(kiln, "rg1");
        for (int i = 2; i <= 5; i++)
        {
            Assert.Equal(201, (await kiln.PutAsync(kiln.Rg($"rg{i}") + RgV, Group())).Status);
            var definition = ImageDefinition();
            definition["properties"]!["identifier"]!["sku"] = $"sku{i}"; // identifiers are unique within a gallery
            Assert.Equal(201, (await kiln.PutAsync($"{s.GalleryId}/images/def{i}{ComputeV}", definition)).Status);
            Assert.Equal(201, (await kiln.PutAsync($"{kiln.Rg("rg1")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id{i}{IdentityV}",
                Group())).Status);
        }

        Assert.Equal(new[] { "rg1", "rg2", "rg3", "rg4", "rg5" },
            await NamesAcrossPagesAsync(kiln, $"/subscriptions/{kiln.Sub}/resourcegroups{RgV}", "api-version=2021-04-01"));
        Assert.Equal(new[] { "def1", "def2", "def3", "def4", "def5" },
            await NamesAcrossPagesAsync(kiln, $"{s.GalleryId}/images{ComputeV}", "api-version=2021-10-01"));
        // Subscription scope: the list spans groups.
        Assert.Equal(new[] { "id1", "id2", "id3", "id4", "id5" },
            await NamesAcrossPagesAsync(kiln, $"/subscriptions/{kiln.Sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities{IdentityV}",
                "api-version=2022-01-31-preview"));
        // Exactly one page's worth: no nextLink to an empty page.
        var galleries = (await kiln.GetAsync($"{kiln.Rg("rg1")}/providers/Microsoft.Compute/galleries{ComputeV}")).Body!;
        Assert.Single(galleries["value"]!.AsArray());
        Assert.Null(galleries["nextLink"]);
    }

    [Fact]
    public async Task ItemsAddedAndRemovedBetweenPagesNeitherRepeatNorHideOthers()
    {
        await using var kiln = await TestKiln.StartAsync(listPageSize: PageSize);
        foreach (var rg in new[] { "b", "d", "f", "h" })
            Assert.Equal(201, (await kiln.PutAsync(kiln.Rg(rg) + RgV, Group())).Status);
        var first = (await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups{RgV}")).Body!;
        Assert.Equal(["b", "d"], first["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal(202, (await kiln.SendAsync(HttpMethod.Delete, kiln.Rg("b") + RgV)).Status);
        Assert.Equal(202, (await kiln.SendAsync(HttpMethod.Delete, kiln.Rg("f") + RgV)).Status);
        Assert.Equal(201, (await kiln.PutAsync(kiln.Rg("a") + RgV, Group())).Status);
        Assert.Equal(201, (await kiln.PutAsync(kiln.Rg("e") + RgV, Group())).Status);

        var rest = await NamesAcrossPagesAsync(kiln, first["nextLink"]!.GetValue<string>(), "api-version=2021-04-01");
        Assert.Equal(["e", "h"], rest);
    }

    [Fact]
    public async Task FilteredRoleAssignmentListsStillFillPages()
    {
        await using var kiln = await TestKiln.StartAsync(listPageSize: PageSize);
        var s = await Scenario.CreateAsync(kiln, "rg1");
        await Scenario.CreateAsync(kiln, "rg2");
        // Contributor, Owner, Reader: one principal may hold each once per scope.
        string[] roles = ["b24988ac-6180-42a0-ab88-20f7382dd24c", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "acdd72a7-3385-48ef-bd42-f606fba81ae7"];
        string Assign(string rg, int i) => $"{kiln.Rg(rg)}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-00000000000{i}";
        // rg1's three sort first and are all filtered out of rg2's list: the page must read past them, not come back empty.
        for (int i = 1; i <= 3; i++)
        {
            foreach (var rg in new[] { "rg1", "rg2" })
            {
                var body = new JsonObject { ["properties"] = new JsonObject {
                    ["roleDefinitionId"] = $"/subscriptions/{kiln.Sub}/providers/Microsoft.Authorization/roleDefinitions/{roles[i - 1]}",
                    ["principalId"] = s.IdentityPrincipalId } };
                int n = rg == "rg1" ? i : i + 3;
                var put = await kiln.PutAsync(Assign(rg, n) + "?api-version=2022-04-01", body);
                Assert.True(put.Status == 201, put.Body?.ToJsonString());
            }
        }
        var names = await NamesAcrossPagesAsync(kiln, $"{kiln.Rg("rg2")}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01",
            "api-version=2022-04-01");
        Assert.Equal(Enumerable.Range(4, 3).Select(n => $"00000000-0000-0000-0000-00000000000{n}"), names);
        Assert.Equal(6, (await NamesAcrossPagesAsync(kiln,
            $"/subscriptions/{kiln.Sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01", "api-version=2022-04-01")).Count);
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public async Task GarbageSkipTokensAreRefusedNamingTheParameter(string token)
    {
        await using var kiln = await TestKiln.StartAsync(listPageSize: PageSize);
        var (status, body, _) = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups{RgV}&$skiptoken={Uri.EscapeDataString(token)}");
        AssertRefused(status, body);
    }

    [Fact]
    public async Task EditedOrBorrowedSkipTokensAreRefused()
    {
        await using var kiln = await TestKiln.StartAsync(listPageSize: PageSize);
        foreach (var rg in new[] { "rg1", "rg2", "rg3" })
            Assert.Equal(201, (await kiln.PutAsync(kiln.Rg(rg) + RgV, Group())).Status);
        string next = (await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups{RgV}")).Body!["nextLink"]!.GetValue<string>();
        string token = next[(next.IndexOf(ArmPaging.SkipToken + "=", StringComparison.Ordinal) + ArmPaging.SkipToken.Length + 1)..];
        Assert.Equal(200, (await kiln.GetAsync(next)).Status);

        // One character changed in the middle (still valid base64url).
        char[] edited = token.ToCharArray();
        edited[edited.Length / 2] = edited[edited.Length / 2] == 'A' ? 'B' : 'A';
        var tampered = await kiln.GetAsync($"/subscriptions/{kiln.Sub}/resourcegroups{RgV}&$skiptoken={new string(edited)}");
        AssertRefused(tampered.Status, tampered.Body);
        // A genuine token of one list used on another (identities in a group instead of groups).
        var borrowed = await kiln.GetAsync($"{kiln.Rg("rg1")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities{IdentityV}&$skiptoken={token}");
        AssertRefused(borrowed.Status, borrowed.Body);
    }

    private static void AssertRefused(int status, JsonNode? body)
    {
        Assert.True(status == 400, $"{status} {body?.ToJsonString()}");
        Assert.Equal("InvalidSkipToken", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("$skiptoken", body["error"]!["target"]!.GetValue<string>());
        Assert.Contains("$skiptoken", body["error"]!["message"]!.GetValue<string>());
    }
}
