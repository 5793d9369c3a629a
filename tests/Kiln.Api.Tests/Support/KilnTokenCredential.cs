using Azure.Core;

namespace Kiln.Api.Tests.Support;

/// <summary>Client-credentials TokenCredential against Kiln's /adfs/oauth2/token (what an SDK user would configure).</summary>
public sealed class KilnTokenCredential(Uri baseUri, string caCertPath, string clientId, string secret) : TokenCredential
{
    private readonly HttpClient _http = new(TestKiln.TrustingHandler(caCertPath)) { BaseAddress = baseUri };

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        string token = await TestKiln.GetTokenAsync(_http, clientId, secret);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddMinutes(50));
    }
}
