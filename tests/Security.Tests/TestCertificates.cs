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
    private readonly TestCa _clusterCa;
    private readonly TestCa _rogueCa;

    public TestCertificates()
    {
        Directory.CreateDirectory(_folder);
        _clusterCa = new TestCa("CN=clinic-cluster test CA");
        _rogueCa = new TestCa("CN=rogue CA");
        ClusterCa = Write("ca.crt", _clusterCa.CertificatePem);
        RogueCa = Write("rogue-ca.crt", _rogueCa.CertificatePem);
        Silo = Write("silo", _clusterCa.Issue("silo"), ClusterCa);
        Api = Write("api", _clusterCa.Issue("api"), ClusterCa);
        Rogue = Write("rogue", _rogueCa.Issue("rogue"), RogueCa);
        var now = DateTimeOffset.UtcNow;
        Expired = Write("expired", _clusterCa.Issue("expired", now.AddMinutes(-50), now.AddMinutes(-5)), ClusterCa);
    }

    public string ClusterCa { get; }

    public string RogueCa { get; }

    public Pem Silo { get; }

    public Pem Api { get; }

    /// <summary>Signed by another CA: looks like a cluster member, is not one.</summary>
    public Pem Rogue { get; }

    /// <summary>Signed by the cluster CA, expired five minutes ago.</summary>
    public Pem Expired { get; }

    /// <summary>The ClusterTls settings for a host presenting <paramref name="pem"/>.</summary>
    public static Dictionary<string, string?> Settings(Pem pem) => new()
    {
        ["ClusterTls:Enabled"] = "true",
        ["ClusterTls:CertificateFile"] = pem.CertificateFile,
        ["ClusterTls:KeyFile"] = pem.KeyFile,
        ["ClusterTls:CaFile"] = pem.CaFile,
    };

    public void Dispose()
    {
        _clusterCa.Dispose();
        _rogueCa.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Pem Write(string name, IssuedCertificate issued, string caFile) =>
        new(Write(name + ".crt", issued.CertificatePem), Write(name + ".key", issued.KeyPem), caFile);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}

/// <summary>A certificate, its key and the CA its holder trusts, as files.</summary>
public sealed record Pem(string CertificateFile, string KeyFile, string CaFile);

/// <summary>A certificate and its key as PEM text, with the serial and SHA-256 fingerprint an operator would compare.</summary>
public sealed record IssuedCertificate(string CertificatePem, string KeyPem, string SerialNumber, string Sha256);

/// <summary>A throwaway CA that keeps its key, so a test can issue renewals and roll to another CA.</summary>
public sealed class TestCa : IDisposable
{
    // One instant for every validity period, so a leaf never outlives its CA on a slow machine.
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;

    public TestCa(string subject)
    {
        var request = new CertificateRequest(subject, _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _certificate = request.CreateSelfSigned(_now.AddHours(-1), _now.AddDays(2));
        CertificatePem = _certificate.ExportCertificatePem() + "\n"; // as files end, so bundles concatenate
    }

    public string CertificatePem { get; }

    /// <summary>A leaf for both server and client authentication, valid for a day unless told otherwise.</summary>
    public IssuedCertificate Issue(string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
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
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        using var certificate = request.Create(_certificate, notBefore ?? _now.AddMinutes(-30), notAfter ?? _now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n",
            certificate.SerialNumber, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
