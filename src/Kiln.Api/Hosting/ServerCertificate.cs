using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiln.Api.Hosting;

/// <summary>
/// The self-signed TLS certificate Kiln serves HTTPS with, made on first start and kept as PEM
/// under the data folder (cert.pem is what clients trust: REQUESTS_CA_BUNDLE for az, a custom
/// validation callback for .NET). SAN 127.0.0.1 + localhost; CA:TRUE so OpenSSL 3 accepts it as
/// its own trust anchor (az-cli-local.md §2.1).
/// </summary>
public static class ServerCertificate
{
    public const string CertFile = "cert.pem";
    public const string KeyFile = "key.pem";

    public static X509Certificate2 LoadOrCreate(string dataDir)
    {
        string certPath = Path.Combine(dataDir, CertFile);
        string keyPath = Path.Combine(dataDir, KeyFile);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
            Create(certPath, keyPath);
        using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static void Create(string certPath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Kiln local control plane", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        PrivateFile.Restrict(keyPath);
        File.WriteAllText(certPath, cert.ExportCertificatePem() + "\n");
    }
}
