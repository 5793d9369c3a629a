using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kiln.Api.Hosting;

namespace Kiln.Cli.Quickstart;

/// <summary>
/// A small ARM client for the quickstart: the same HTTP a user's az or SDK sends (token from the
/// ADFS-style endpoint, bearer calls, polling Azure-AsyncOperation), trusting only Kiln's own CA.
/// </summary>
public sealed class ArmHttpClient : IDisposable
{
    private readonly HttpClient _http;

    private ArmHttpClient(HttpClient http) => _http = http;

    public static async Task<ArmHttpClient> ConnectAsync(KilnCredentials credentials, CancellationToken ct)
    {
        var handler = KilnCertificateTrust.CreateHandler(credentials.CaCertPath);
        var http = new HttpClient(handler) { BaseAddress = new Uri(credentials.ArmEndpoint) };
        using var response = await http.PostAsync("/adfs/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = credentials.ClientId, ["client_secret"] = credentials.ClientSecret,
        }), ct);
        var token = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        if (!response.IsSuccessStatusCode || token?["access_token"] is null)
            throw new InvalidOperationException($"token request failed: {(int)response.StatusCode} {token?.ToJsonString()}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["access_token"]!.GetValue<string>());
        return new ArmHttpClient(http);
    }

    public Task<JsonObject?> PutAsync(string path, JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);
    public Task<JsonObject?> PostAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Post, path, null, ct);
    public Task<JsonObject?> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>Sends one request; a non-2xx answer throws with ARM's error; an accepted LRO is polled to its end.</summary>
    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body != null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} → {(int)response.StatusCode}: {text}");
        if (response.Headers.TryGetValues("Azure-AsyncOperation", out var ops))
            await WaitForOperationAsync(ops.First(), ct);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
    }

    /// <summary>Polls an operation status resource until Succeeded / Failed / Canceled, as az does.</summary>
    public async Task<JsonObject> WaitForOperationAsync(string operationUrl, CancellationToken ct, Action<string>? onPoll = null)
    {
        while (true)
        {
            var status = await _http.GetFromJsonAsync<JsonObject>(operationUrl, ct)
                ?? throw new InvalidOperationException($"empty operation status from {operationUrl}");
            string state = status["status"]?.GetValue<string>() ?? "";
            onPoll?.Invoke(state);
            if (state is "Succeeded") return status;
            if (state is "Failed" or "Canceled")
                throw new InvalidOperationException($"operation {state}: {status["error"]?.ToJsonString()}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    /// <summary>POST that returns the Azure-AsyncOperation URL without waiting (for long builds the caller follows).</summary>
    public async Task<string> StartAsync(string path, CancellationToken ct)
    {
        using var response = await _http.PostAsync(path, null, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("Azure-AsyncOperation", out var ops))
            throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode}: {text}");
        return ops.First();
    }

    public void Dispose() => _http.Dispose();
}
