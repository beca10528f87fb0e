using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// The loaded and checked <see cref="ClusterTlsOptions"/>: this host's certificate with its key and
/// the cluster CA, and the TLS settings both hosts apply. Loading happens before Orleans starts, so
/// a missing or broken file stops the host with one line naming the setting.
/// </summary>
public sealed class ClusterTls
{
    private readonly X509Certificate2Collection _trusted;

    private ClusterTls(X509Certificate2 certificate, X509Certificate2Collection trusted, TimeSpan handshakeTimeout)
    {
        Certificate = certificate;
        _trusted = trusted;
        HandshakeTimeout = handshakeTimeout;
    }

    public X509Certificate2 Certificate { get; }

    public TimeSpan HandshakeTimeout { get; }

    /// <summary>
    /// The cluster's TLS, or null when it is off: explicitly, or by default with Localhost
    /// clustering (<paramref name="reachableFromOtherMachines"/> false).
    /// </summary>
    public static ClusterTls? Load(IConfiguration configuration, bool reachableFromOtherMachines)
    {
        var options = new ClusterTlsOptions();
        configuration.GetSection(ClusterTlsOptions.SectionName).Bind(options);
        if (!(options.Enabled ?? reachableFromOtherMachines))
        {
            return null;
        }

        var failures = new List<string>();
        Require(options.CertificateFile, nameof(options.CertificateFile), failures);
        Require(options.KeyFile, nameof(options.KeyFile), failures);
        Require(options.CaFile, nameof(options.CaFile), failures);
        if (options.HandshakeTimeout <= TimeSpan.Zero || options.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("ClusterTls:HandshakeTimeout must be between 00:00:00 and 00:05:00.");
        }

        if (failures.Count > 0)
        {
            if (options.Enabled is null)
            {
                failures.Add("A cluster reachable from other machines (AdoNet clustering) uses mutual TLS; mount the certificates, or set ClusterTls:Enabled=false deliberately.");
            }

            throw new OptionsValidationException(ClusterTlsOptions.SectionName, typeof(ClusterTlsOptions), [string.Join(" ", failures)]);
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.CertificateFile!, options.KeyFile!);

            // Re-imported so the key is usable by the TLS stack on every platform (a PEM key is ephemeral).
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(options.CaFile!);
            if (trusted.Count == 0)
            {
                throw new CryptographicException("no certificate in the CA file");
            }

            var tls = new ClusterTls(certificate, trusted, options.HandshakeTimeout);
            if (!tls.IsTrusted(certificate))
            {
                throw new CryptographicException("this host's certificate does not chain to ClusterTls:CaFile, or it has expired");
            }

            return tls;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new OptionsValidationException(ClusterTlsOptions.SectionName, typeof(ClusterTlsOptions),
                [$"ClusterTls: cannot use {options.CertificateFile} / {options.KeyFile} / {options.CaFile}: {exception.Message}"]);
        }
    }

    /// <summary>
    /// Settings for both ends of every cluster connection: a certificate is required from the
    /// peer, and the peer is trusted only when its certificate chains to the cluster CA. Host
    /// names are not checked: silos and gateways are reached by IP, and membership of the cluster
    /// is exactly "holds a certificate of this CA".
    /// </summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.SslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12;
        options.HandshakeTimeout = HandshakeTimeout;
        options.RemoteCertificateValidation = (certificate, _, errors) =>
            !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && IsTrusted(certificate);
    }

    /// <summary>True when <paramref name="certificate"/> is valid now and chains to the cluster CA (and only to it).</summary>
    public bool IsTrusted(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        return chain.Build(certificate);
    }

    private static void Require(string? file, string name, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            failures.Add($"ClusterTls:{name} is required.");
        }
        else if (!File.Exists(file))
        {
            failures.Add($"ClusterTls:{name} '{file}' does not exist.");
        }
    }
}
