using Kiln.Api.Tests.Support;
using Kiln.Tests.Support;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>The whole server on PostgreSQL (KilnApiOptions.Database): resources through HTTP land there and outlive the host.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresServerTests(PostgresCluster cluster)
{
    [Fact]
    public async Task ResourcesPutThroughHttpLiveInPostgresAcrossARestart()
    {
        string database = cluster.ConnectionString(await cluster.CreateDatabaseAsync());
        string dir = TestKiln.NewDataDir();
        try
        {
            Scenario s, s10;
            await using (var first = await TestKiln.StartAsync(dir, database: database))
            {
                s = await Scenario.CreateAsync(first, "rg1");
                s10 = await Scenario.CreateAsync(first, "rg10");
                var put = await first.PutAsync(s.TemplateId(first) + V, Template(s.IdentityId, s.DefinitionId));
                Assert.True(put.Status == 201, put.Body?.ToJsonString());
            }
            // The state went to PostgreSQL: no SQLite file was made in the data folder.
            Assert.False(File.Exists(Path.Combine(dir, "kiln.db")));

            await using var second = await TestKiln.StartAsync(dir, database: database);
            var template = await second.GetAsync(s.TemplateId(second) + V);
            Assert.Equal(200, template.Status);
            Assert.Equal("test", template.Body!["tags"]!["purpose"]!.GetValue<string>());
            // A group delete takes its tree and leaves the group whose name starts the same (the prefix range on PostgreSQL).
            var delete = await second.SendAsync(HttpMethod.Delete, second.Rg("rg1") + RgV);
            Assert.Equal(202, delete.Status);
            Assert.Equal("Succeeded", (await second.WaitForOperationAsync(delete.Response))["status"]!.GetValue<string>());
            Assert.Equal(404, (await second.GetAsync(s.DefinitionId + ComputeV)).Status);
            Assert.Equal(200, (await second.GetAsync(s10.DefinitionId + ComputeV)).Status);
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }
}
