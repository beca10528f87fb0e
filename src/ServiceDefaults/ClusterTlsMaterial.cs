using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// One consistent reading of the three ClusterTls files: this host's certificate with its key, and
/// the trust bundle (one or more CAs; two while a CA is rolled). The same checks decide whether a
/// host may start and whether a rotated set of files replaces the one in use, so a set that would
/// stop a fresh pod is never swapped into a running one either.
/// </summary>
public sealed class ClusterTlsMaterial
{
    private ClusterTlsMaterial(X509Certificate2 certificate, X509Certificate2Collection trusted, byte[] fingerprint)
    {
        Certificate = certificate;
        Trusted = trusted;
        Fingerprint = fingerprint;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CAs a peer's certificate may chain to.</summary>
    public X509Certificate2Collection Trusted { get; }

    /// <summary>SHA-256 over the three files' bytes: tells a changed set from an unchanged one without trusting timestamps.</summary>
    public byte[] Fingerprint { get; }

    /// <summary>The certificate as an operator compares it with <c>openssl x509 -serial -fingerprint</c>.</summary>
    public string Describe() =>
        $"serial {Certificate.SerialNumber}, SHA-256 {Certificate.GetCertHashString(HashAlgorithmName.SHA256)}, " +
        $"expires {Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}, trusting {Trusted.Count} CA(s)";

    /// <summary>The bytes of the three files, read once each; a read failure names its setting.</summary>
    public static ClusterTlsFiles Read(string certificateFile, string keyFile, string caFile)
    {
        var certificate = ReadFile(certificateFile, "CertificateFile", out var certificateError);
        var key = ReadFile(keyFile, "KeyFile", out var keyError);
        var ca = ReadFile(caFile, "CaFile", out var caError);
        return new ClusterTlsFiles(certificate, key, ca, certificateError ?? keyError ?? caError);
    }

    /// <summary>
    /// Parses and checks <paramref name="files"/> at <paramref name="now"/>: the key belongs to the
    /// certificate, the certificate is within its validity period and chains to a CA of the bundle.
    /// The failure names the setting and the problem, never a key or a certificate's content.
    /// </summary>
    public static ClusterTlsMaterial? Parse(ClusterTlsFiles files, DateTime now, out string? failure)
    {
        failure = files.Failure;
        if (failure is not null)
        {
            return null;
        }

        var certificatePem = System.Text.Encoding.UTF8.GetString(files.Certificate!);
        var keyPem = System.Text.Encoding.UTF8.GetString(files.Key!);
        X509Certificate2 publicOnly;
        try
        {
            publicOnly = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            failure = "ClusterTls:CertificateFile holds no readable PEM certificate (empty or half-written?).";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPem(certificatePem, keyPem);

            // Re-imported so the key is usable by the TLS stack on every platform (a PEM key is ephemeral).
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            failure = "ClusterTls:KeyFile is not the private key of ClusterTls:CertificateFile (or holds no readable PEM key).";
            publicOnly.Dispose();
            return null;
        }

        using (publicOnly)
        {
            var trusted = new X509Certificate2Collection();
            try
            {
                trusted.ImportFromPem(System.Text.Encoding.UTF8.GetString(files.Ca!));
            }
            catch (CryptographicException)
            {
                trusted.Clear();
            }

            if (trusted.Count == 0)
            {
                failure = "ClusterTls:CaFile holds no readable PEM certificate (empty or half-written?).";
                certificate.Dispose();
                return null;
            }

            var local = now.ToLocalTime();
            if (certificate.NotAfter < local)
            {
                failure = $"ClusterTls:CertificateFile expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} (serial {certificate.SerialNumber}).";
                certificate.Dispose();
                return null;
            }

            if (certificate.NotBefore > local)
            {
                failure = $"ClusterTls:CertificateFile is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} (serial {certificate.SerialNumber}).";
                certificate.Dispose();
                return null;
            }

            var material = new ClusterTlsMaterial(certificate, trusted, files.Fingerprint());
            if (!material.IsTrusted(certificate, now))
            {
                failure = $"ClusterTls:CertificateFile (serial {certificate.SerialNumber}) is not signed by a CA in ClusterTls:CaFile.";
                certificate.Dispose();
                return null;
            }

            return material;
        }
    }

    /// <summary>True when <paramref name="certificate"/> is valid at <paramref name="now"/> and chains to a CA of this bundle (and only to one).</summary>
    public bool IsTrusted(X509Certificate2 certificate, DateTime now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.ToLocalTime();
        return chain.Build(certificate);
    }

    private static byte[]? ReadFile(string path, string setting, out string? failure)
    {
        failure = null;
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The exception's message names the path, never the content.
            failure = $"ClusterTls:{setting} '{path}' cannot be read ({exception.GetType().Name}).";
            return null;
        }
    }
}

/// <summary>The raw bytes of the certificate, key and CA files as read at one moment, or why one could not be read.</summary>
public sealed record ClusterTlsFiles(byte[]? Certificate, byte[]? Key, byte[]? Ca, string? Failure)
{
    public byte[] Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { Certificate, Key, Ca })
        {
            // Length-prefixed, so bytes moving from one file to the next still change the fingerprint.
            hash.AppendData(BitConverter.GetBytes(part?.Length ?? -1));
            hash.AppendData(part ?? []);
        }

        return hash.GetHashAndReset();
    }
}
