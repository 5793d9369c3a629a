using System.Net;
using Kiln.Api.Auth;
using Kiln.Api.Hosting;
using Kiln.Api.Http;
using Kiln.Control;
using Kiln.Control.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiln.Api;

/// <summary>
/// A running Kiln control plane: HTTPS on 127.0.0.1 (self-signed cert under the data folder),
/// SQLite state (or PostgreSQL with <see cref="KilnApiOptions.Database"/>), the run worker. First start creates tenant, subscription and service principal
/// and writes credentials.json; later starts reuse them (the secret is kept in credentials.json).
/// Used by `kiln serve` and by tests (port 0).
/// </summary>
public sealed class KilnServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenIssuer _issuer;

    private KilnServer(WebApplication app, ControlPlane plane, TokenIssuer issuer, KilnCredentials credentials, string dataDir)
    {
        _app = app;
        Plane = plane;
        _issuer = issuer;
        Credentials = credentials;
        DataDirectory = dataDir;
    }

    public ControlPlane Plane { get; }
    public KilnCredentials Credentials { get; }
    public string DataDirectory { get; }
    public Uri BaseUri => new(Credentials.ArmEndpoint);

    public static async Task<KilnServer> StartAsync(KilnApiOptions options, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ListPageSize, 1, nameof(options.ListPageSize));
        string dataDir = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDir);
        var certificate = ServerCertificate.LoadOrCreate(dataDir);
        var store = await ResourceStores.OpenAsync(options.Database, dataDir, ct);
        var plane = await ControlPlane.OpenAsync(store, dataDir,
            options.BuildEngineFactory ?? (options.BuildEngine is { } engine ? _ => engine : null), options.Log,
            options.OperationRetention, ct);
        var issuer = TokenIssuer.LoadOrCreate(dataDir, plane.Clock);
        try
        {
            var tenant = await plane.Directory.EnsureTenantAsync(ct);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Limits.MaxRequestBodySize = 4 * RequestBody.MaxBytes;
                k.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(certificate));
            });
            var app = builder.Build();
            var handler = new KilnHttp(plane, issuer, options.Log, options.ListPageSize);
            app.Run(handler.HandleAsync);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            int port = new Uri(address).Port;
            string secret = tenant.ClientSecret ?? KilnCredentials.TryRead(dataDir)?.ClientSecret
                ?? throw new InvalidDataException($"{Path.Combine(dataDir, KilnCredentials.FileName)} is missing but the database " +
                                                  "already has a tenant; the client secret cannot be recovered. Start with an empty data folder.");
            var credentials = new KilnCredentials(tenant.TenantId, tenant.SubscriptionId, tenant.ClientId, secret,
                $"https://127.0.0.1:{port}/", Path.Combine(dataDir, ServerCertificate.CertFile));
            credentials.Write(dataDir);
            return new KilnServer(app, plane, issuer, credentials, dataDir);
        }
        catch
        {
            issuer.Dispose();
            await plane.DisposeAsync();
            throw;
        }
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Plane.DisposeAsync();
        _issuer.Dispose();
    }
}
