using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Kiln.Api.Hosting;

/// <summary>
/// An HTTP handler that trusts exactly Kiln's generated CA (custom root trust) and still checks the
/// host name — what any in-process client of `kiln serve` needs, without touching the system store.
/// </summary>
public static class KilnCertificateTrust
{
    public static HttpClientHandler CreateHandler(string caCertPath)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caCertPath);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            {
                if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
    }
}
