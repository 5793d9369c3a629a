using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Kiln.Api;
using Kiln.Control.Runs;

namespace Kiln.Api.Tests.Support;

/// <summary>
/// A real Kiln server (Kestrel, HTTPS on a free port, SQLite in a temp folder or the given PostgreSQL database) and an HttpClient
/// that trusts only its generated certificate and carries a token from its token endpoint.
/// </summary>
public sealed class TestKiln : IAsyncDisposable
{
    private readonly bool _ownsDir;

    private TestKiln(KilnServer server, HttpClient client, string dataDir, bool ownsDir)
    {
        Server = server;
        Client = client;
        DataDir = dataDir;
        _ownsDir = ownsDir;
    }

    public KilnServer Server { get; }
    public HttpClient Client { get; }
    public string DataDir { get; }
    public string Sub => Server.Credentials.SubscriptionId;

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "kiln-api-tests", Guid.NewGuid().ToString("N"));

    public static async Task<TestKiln> StartAsync(string? dataDir = null, IBuildEngine? engine = null, bool keepDir = false,
        Func<Kiln.Control.ControlPlane, IBuildEngine>? engineFactory = null, string? database = null,
        int listPageSize = Kiln.Api.Http.ArmPaging.DefaultPageSize, Kiln.Control.Operations.OperationRetention? operationRetention = null)
    {
        string dir = dataDir ?? NewDataDir();
        var server = await KilnServer.StartAsync(new KilnApiOptions
            {
                DataDirectory = dir, Database = database, Port = 0, BuildEngine = engine, BuildEngineFactory = engineFactory, Log = _ => { },
                ListPageSize = listPageSize,
                OperationRetention = operationRetention ?? Kiln.Control.Operations.OperationRetention.Default,
            },
            CancellationToken.None);
        var client = CreateTrustingClient(server.Credentials.CaCertPath);
        client.BaseAddress = server.BaseUri;
        string token = await GetTokenAsync(client, server.Credentials.ClientId, server.Credentials.ClientSecret);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestKiln(server, client, dir, dataDir is null && !keepDir);
    }

    /// <summary>Trusts exactly the Kiln CA file (custom root trust), still checking the host name.</summary>
    public static HttpClientHandler TrustingHandler(string caCertPath) => Kiln.Api.Hosting.KilnCertificateTrust.CreateHandler(caCertPath);

    public static HttpClient CreateTrustingClient(string caCertPath) => new(TrustingHandler(caCertPath));

    public static async Task<string> GetTokenAsync(HttpClient client, string clientId, string secret)
    {
        using var response = await client.PostAsync("/adfs/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
            ["scope"] = client.BaseAddress + "/.default",
        }));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["access_token"]!.GetValue<string>();
    }

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? node = null;
        if (text.Length > 0)
            node = JsonNode.Parse(text);
        return ((int)response.StatusCode, node, response);
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PutAsync(string path, JsonNode body) =>
        SendAsync(HttpMethod.Put, path, body.ToJsonString());

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Polls an Azure-AsyncOperation URL until a terminal status (bounded: 600 polls).</summary>
    public async Task<JsonNode> WaitForOperationAsync(HttpResponseMessage accepted)
    {
        var url = accepted.Headers.GetValues("Azure-AsyncOperation").Single();
        for (int i = 0; i < 600; i++)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Get, url);
            Assert.Equal(200, status);
            if (body!["status"]!.GetValue<string>() != "InProgress")
                return body;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Operation {url} did not end after 600 polls.");
    }

    public string Rg(string rg) => $"/subscriptions/{Sub}/resourceGroups/{rg}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        if (_ownsDir && Directory.Exists(DataDir))
            Directory.Delete(DataDir, recursive: true);
    }
}
