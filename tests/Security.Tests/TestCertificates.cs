using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// PEM files made at test time, as cert-manager would mount them: a cluster CA with a certificate
/// for silos and one for the API, and a rogue CA with a certificate it signed. Deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clinic-tls-" + Guid.NewGuid().ToString("N")[..8]);

    // One instant for every validity period, so a leaf never outlives its CA on a slow machine.
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public TestCertificates()
    {
        Directory.CreateDirectory(_folder);
        using var clusterCaKey = RSA.Create(2048);
        using var clusterCa = CreateCa("CN=clinic-cluster test CA", clusterCaKey);
        using var rogueCaKey = RSA.Create(2048);
        using var rogueCa = CreateCa("CN=rogue CA", rogueCaKey);
        ClusterCa = Write("ca.crt", clusterCa.ExportCertificatePem());
        RogueCa = Write("rogue-ca.crt", rogueCa.ExportCertificatePem());
        Silo = Issue("silo", clusterCa, ClusterCa);
        Api = Issue("api", clusterCa, ClusterCa);
        Rogue = Issue("rogue", rogueCa, RogueCa);
    }

    public string ClusterCa { get; }

    public string RogueCa { get; }

    public Pem Silo { get; }

    public Pem Api { get; }

    /// <summary>Signed by another CA: looks like a cluster member, is not one.</summary>
    public Pem Rogue { get; }

    /// <summary>The ClusterTls settings for a host presenting <paramref name="pem"/>.</summary>
    public static Dictionary<string, string?> Settings(Pem pem) => new()
    {
        ["ClusterTls:Enabled"] = "true",
        ["ClusterTls:CertificateFile"] = pem.CertificateFile,
        ["ClusterTls:KeyFile"] = pem.KeyFile,
        ["ClusterTls:CaFile"] = pem.CaFile,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private X509Certificate2 CreateCa(string subject, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(_now.AddHours(-1), _now.AddDays(2));
    }

    private Pem Issue(string name, X509Certificate2 ca, string caFile)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}.clinic-cluster.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));

        // Silos are servers (inbound) and clients (outbound); the API is a client of the gateways.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var certificate = request.Create(ca, _now.AddMinutes(-30), _now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        return new Pem(
            Write(name + ".crt", certificate.ExportCertificatePem()),
            Write(name + ".key", key.ExportPkcs8PrivateKeyPem()),
            caFile);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}

/// <summary>A certificate, its key and the CA its holder trusts, as files.</summary>
public sealed record Pem(string CertificateFile, string KeyFile, string CaFile);
