using Kiln.Api.Tests.Support;
using Kiln.Control.Operations;
using static Kiln.Api.Tests.Support.Bodies;

namespace Kiln.Api.Tests;

/// <summary>Pruned operation records poll like operations that never existed (both the status and the result URL).</summary>
public class OperationRetentionTests
{
    [Fact]
    public async Task APrunedOperationAnswersAsAnUnknownOne()
    {
        // Zero retention: every finished record is expired at once, so one explicit pass removes it (no waiting on time).
        await using var kiln = await TestKiln.StartAsync(operationRetention: new OperationRetention(TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Equal(201, (await kiln.PutAsync(kiln.Rg("rg1") + RgV, Group())).Status);
        var deleted = await kiln.SendAsync(HttpMethod.Delete, kiln.Rg("rg1") + RgV);
        Assert.Equal(202, deleted.Status);
        string statusUrl = deleted.Response.Headers.GetValues("Azure-AsyncOperation").Single();
        string resultUrl = deleted.Response.Headers.Location!.ToString();
        Assert.Equal("Succeeded", (await kiln.GetAsync(statusUrl)).Body!["status"]!.GetValue<string>());
        Assert.Equal(204, (await kiln.GetAsync(resultUrl)).Status);
        string unknownId = Guid.NewGuid().ToString("D");
        var unknown = await kiln.GetAsync(statusUrl[..(statusUrl.LastIndexOf('/') + 1)] + unknownId + "?api-version=2021-04-01");
        Assert.Equal(404, unknown.Status);

        // Expiry is measured on the wall clock, which a VM's time sync may step back a little right after the
        // delete finished: prune again (briefly) until the record is past the cutoff, instead of trusting one pass.
        int pruned = 0;
        for (int attempt = 0; attempt < 50 && pruned == 0; attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            pruned = await kiln.Server.Plane.OperationPruner.PruneOnceAsync(CancellationToken.None);
        }
        Assert.True(pruned >= 1, "the finished delete operation was never pruned with zero retention");

        foreach (var url in new[] { statusUrl, resultUrl })
        {
            var (status, body, _) = await kiln.GetAsync(url);
            Assert.True(status == 404, $"{url}: {status} {body?.ToJsonString()}");
            Assert.Equal(unknown.Body!["error"]!["code"]!.GetValue<string>(), body!["error"]!["code"]!.GetValue<string>());
        }
    }
}
