using System.Security.Cryptography.X509Certificates;
using ClinicCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// The cluster certificates re-read without a restart (decision record 0029), on files laid out as
/// Kubernetes mounts a Secret (<see cref="SecretVolume"/>): a renewal is used by the next handshake,
/// a bad set is refused and the one in use stays, and the CA roll works in its three steps.
/// </summary>
public sealed class ClusterTlsReloadTests : IDisposable
{
    private readonly TestCa _ca = new("CN=clinic-cluster reload CA");
    private readonly TestCa _nextCa = new("CN=clinic-cluster next CA");
    private readonly IssuedCertificate _first;
    private readonly SecretVolume _secret;
    private readonly ClusterTls _tls;

    public ClusterTlsReloadTests()
    {
        _first = _ca.Issue("silo");
        _secret = new SecretVolume(Files(_first, _ca.CertificatePem));
        _tls = ClusterTls.Load(Configuration(_secret), reachableFromOtherMachines: true)!;
    }

    [Fact]
    public void A_renewed_certificate_is_presented_by_the_next_handshake_of_both_directions()
    {
        var options = new TlsOptions();
        _tls.Configure(options);
        Assert.Equal(_first.Sha256, Sha256(options.LocalServerCertificateSelector!(null!, null!)));

        var renewed = _ca.Issue("silo");
        _secret.Update(Files(renewed, _ca.CertificatePem));
        var reload = _tls.Reload();

        Assert.Equal(ClusterTlsReloadOutcome.Loaded, reload.Outcome);
        Assert.Contains(renewed.SerialNumber, reload.Message, StringComparison.Ordinal);
        Assert.Equal(renewed.Sha256, Sha256(options.LocalServerCertificateSelector!(null!, null!)));
        Assert.Equal(renewed.Sha256, Sha256(options.LocalClientCertificateSelector!(null!, null!, null!, null!, null!)));
        Assert.True(options.LocalServerCertificateSelector!(null!, null!).HasPrivateKey);
        Assert.Equal(ClusterTlsReloadOutcome.Unchanged, _tls.Reload().Outcome);
    }

    [Theory]
    [InlineData("half-written certificate", "ClusterTls:CertificateFile")]
    [InlineData("key of another certificate", "ClusterTls:KeyFile")]
    [InlineData("expired certificate", "expired")]
    [InlineData("certificate of another CA", "not signed by a CA in ClusterTls:CaFile")]
    [InlineData("empty CA bundle", "ClusterTls:CaFile")]
    public void A_bad_new_set_is_refused_once_and_the_set_in_use_stays(string bad, string named)
    {
        var renewed = _ca.Issue("silo");
        var files = bad switch
        {
            "half-written certificate" => Files(renewed with { CertificatePem = renewed.CertificatePem[..(renewed.CertificatePem.Length / 2)] }, _ca.CertificatePem),
            "key of another certificate" => Files(renewed with { KeyPem = _ca.Issue("other").KeyPem }, _ca.CertificatePem),
            "expired certificate" => Files(_ca.Issue("silo", DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-1)), _ca.CertificatePem),
            "certificate of another CA" => Files(_nextCa.Issue("silo"), _ca.CertificatePem),
            _ => Files(renewed, ""),
        };
        _secret.Update(files);

        var refused = _tls.Reload();
        Assert.Equal(ClusterTlsReloadOutcome.Rejected, refused.Outcome);
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.Contains(_first.SerialNumber, refused.Message, StringComparison.Ordinal); // what it still presents
        Assert.DoesNotContain("PRIVATE KEY", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(_first.Sha256, Sha256(_tls.Certificate));

        // Reported once; a later good set replaces it.
        Assert.Equal(ClusterTlsReloadOutcome.StillRejected, _tls.Reload().Outcome);
        _secret.Update(Files(renewed, _ca.CertificatePem));
        Assert.Equal(ClusterTlsReloadOutcome.Loaded, _tls.Reload().Outcome);
        Assert.Equal(renewed.Sha256, Sha256(_tls.Certificate));
    }

    [Fact]
    public void The_ca_roll_trusts_both_cas_during_the_overlap_and_only_the_new_one_after()
    {
        using var oldPeer = Load(_ca.Issue("peer-old"));
        using var newPeer = Load(_nextCa.Issue("peer-new"));
        Assert.True(_tls.IsTrusted(oldPeer));
        Assert.False(_tls.IsTrusted(newPeer));

        // Step 1: the bundle holds both CAs; this host still presents its old certificate.
        var bundle = _ca.CertificatePem + _nextCa.CertificatePem;
        _secret.Update(Files(_first, bundle));
        Assert.Equal(ClusterTlsReloadOutcome.Loaded, _tls.Reload().Outcome);
        Assert.True(_tls.IsTrusted(oldPeer));
        Assert.True(_tls.IsTrusted(newPeer));
        Assert.Equal(_first.Sha256, Sha256(_tls.Certificate));

        // Step 2: certificates of the new CA.
        var reissued = _nextCa.Issue("silo");
        _secret.Update(Files(reissued, bundle));
        Assert.Equal(ClusterTlsReloadOutcome.Loaded, _tls.Reload().Outcome);
        Assert.Equal(reissued.Sha256, Sha256(_tls.Certificate));
        Assert.True(_tls.IsTrusted(oldPeer));

        // Step 3: the old CA removed; its certificates are refused from the next handshake on.
        _secret.Update(Files(reissued, _nextCa.CertificatePem));
        Assert.Equal(ClusterTlsReloadOutcome.Loaded, _tls.Reload().Outcome);
        Assert.False(_tls.IsTrusted(oldPeer));
        Assert.True(_tls.IsTrusted(newPeer));
    }

    [Fact]
    public void Removing_the_old_ca_before_the_certificates_moved_is_refused()
    {
        // The out-of-order roll: this host's certificate would no longer chain to its own bundle.
        _secret.Update(Files(_first, _nextCa.CertificatePem));
        var refused = _tls.Reload();
        Assert.Equal(ClusterTlsReloadOutcome.Rejected, refused.Outcome);
        using var oldPeer = Load(_ca.Issue("peer-old"));
        Assert.True(_tls.IsTrusted(oldPeer));
    }

    public void Dispose()
    {
        _secret.Dispose();
        _ca.Dispose();
        _nextCa.Dispose();
    }

    private static Dictionary<string, string> Files(IssuedCertificate certificate, string caBundle) => new()
    {
        ["tls.crt"] = certificate.CertificatePem,
        ["tls.key"] = certificate.KeyPem,
        ["ca.crt"] = caBundle,
    };

    private static IConfiguration Configuration(SecretVolume secret) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ClusterTls:Enabled"] = "true",
        ["ClusterTls:CertificateFile"] = secret["tls.crt"],
        ["ClusterTls:KeyFile"] = secret["tls.key"],
        ["ClusterTls:CaFile"] = secret["ca.crt"],
    }).Build();

    private static X509Certificate2 Load(IssuedCertificate issued) => X509Certificate2.CreateFromPem(issued.CertificatePem);

    private static string Sha256(X509Certificate? certificate) =>
        Assert.IsType<X509Certificate2>(certificate, exactMatch: false).GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
}
