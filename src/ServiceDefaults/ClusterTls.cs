using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// The cluster's mutual TLS (<see cref="ClusterTlsOptions"/>): this host's certificate with its key
/// and the trust bundle, read before Orleans starts (a missing or broken file stops the host with
/// one line naming the setting) and re-read while it runs (<see cref="Reload"/>, every
/// <c>ClusterTls:ReloadInterval</c>), because Orleans asks for the certificate and validates the
/// peer on every handshake: a renewed certificate or a rolled CA is used by the next connection
/// without a restart. A changed set that fails the start-up checks is not used; the host keeps the
/// set it has (decision record 0029).
/// </summary>
public sealed class ClusterTls
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly string _caFile;
    private readonly TimeProvider _time;
    private ClusterTlsMaterial _current;
    private byte[]? _rejected;

    private ClusterTls(ClusterTlsOptions options, ClusterTlsMaterial material, TimeProvider time)
    {
        _certificateFile = options.CertificateFile!;
        _keyFile = options.KeyFile!;
        _caFile = options.CaFile!;
        _current = material;
        _time = time;
        HandshakeTimeout = options.HandshakeTimeout;
        ReloadInterval = options.ReloadInterval;
    }

    /// <summary>The certificate the next handshake presents.</summary>
    public X509Certificate2 Certificate => Current.Certificate;

    /// <summary>The set in use: replaced as a whole, so a handshake never sees a certificate of one set and the CAs of another.</summary>
    public ClusterTlsMaterial Current => Volatile.Read(ref _current);

    public TimeSpan HandshakeTimeout { get; }

    public TimeSpan ReloadInterval { get; }

    /// <summary>
    /// The cluster's TLS, or null when it is off: explicitly, or by default with Localhost
    /// clustering (<paramref name="reachableFromOtherMachines"/> false).
    /// </summary>
    public static ClusterTls? Load(IConfiguration configuration, bool reachableFromOtherMachines, TimeProvider? time = null)
    {
        var validator = new ClusterTlsOptionsValidator(reachableFromOtherMachines);
        var options = ConfiguredOptions.Read(configuration, ClusterTlsOptions.SectionName, validator: validator);
        if (!validator.IsOn(options))
        {
            return null;
        }

        time ??= TimeProvider.System;
        var files = ClusterTlsMaterial.Read(options.CertificateFile!, options.KeyFile!, options.CaFile!);
        var material = ClusterTlsMaterial.Parse(files, time.GetUtcNow().UtcDateTime, out var failure);
        if (material is null)
        {
            throw new OptionsValidationException(ClusterTlsOptions.SectionName, typeof(ClusterTlsOptions), [failure!]);
        }

        return new ClusterTls(options, material, time);
    }

    /// <summary>
    /// Re-reads the three files. Unchanged bytes: nothing happens. Changed and passing the start-up
    /// checks: the next handshake uses them. Changed and failing (half-written, a key of another
    /// certificate, expired, not signed by the bundle): the set in use stays, and the same bad bytes
    /// are reported once, not at every interval.
    /// </summary>
    public ClusterTlsReload Reload()
    {
        var files = ClusterTlsMaterial.Read(_certificateFile, _keyFile, _caFile);
        var fingerprint = files.Fingerprint();
        var current = Current;
        if (fingerprint.AsSpan().SequenceEqual(current.Fingerprint))
        {
            return new ClusterTlsReload(ClusterTlsReloadOutcome.Unchanged, current.Describe());
        }

        if (_rejected is not null && fingerprint.AsSpan().SequenceEqual(_rejected))
        {
            return new ClusterTlsReload(ClusterTlsReloadOutcome.StillRejected, current.Describe());
        }

        var material = ClusterTlsMaterial.Parse(files, _time.GetUtcNow().UtcDateTime, out var failure);
        if (material is null)
        {
            _rejected = fingerprint;
            return new ClusterTlsReload(ClusterTlsReloadOutcome.Rejected, $"{failure} Still presenting {current.Describe()}.");
        }

        _rejected = null;
        Volatile.Write(ref _current, material);
        return new ClusterTlsReload(ClusterTlsReloadOutcome.Loaded, material.Describe());
    }

    /// <summary>
    /// Settings for both ends of every cluster connection: a certificate is required from the
    /// peer, and the peer is trusted only when its certificate chains to the trust bundle. Host
    /// names are not checked: silos and gateways are reached by IP, and membership of the cluster
    /// is exactly "holds a certificate of this CA". The selectors and the validation read the set in
    /// use at each handshake; <see cref="TlsOptions.LocalCertificate"/> is only Orleans' fallback.
    /// </summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.LocalServerCertificateSelector = (_, _) => Certificate;
        options.LocalClientCertificateSelector = (_, _, _, _, _) => Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.SslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12;
        options.HandshakeTimeout = HandshakeTimeout;
        options.RemoteCertificateValidation = (certificate, _, errors) =>
            !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && IsTrusted(certificate);
    }

    /// <summary>True when <paramref name="certificate"/> is valid now and chains to a CA of the bundle in use (and only to it).</summary>
    public bool IsTrusted(X509Certificate2 certificate) => Current.IsTrusted(certificate, _time.GetUtcNow().UtcDateTime);
}

/// <summary>What one <see cref="ClusterTls.Reload"/> did, with the line to log.</summary>
public sealed record ClusterTlsReload(ClusterTlsReloadOutcome Outcome, string Message);

public enum ClusterTlsReloadOutcome
{
    Unchanged,
    Loaded,
    Rejected,

    /// <summary>The same bad bytes as last time: already reported.</summary>
    StillRejected,
}
