using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>
/// TLS to PostgreSQL, applied to every connection string either host builds: <c>Postgres:SslMode</c>
/// (Disable, Allow, Prefer, Require, VerifyCA, VerifyFull) and <c>Postgres:RootCertificateFile</c>
/// (the PEM CA that signed the server's certificate; required for VerifyCA and VerifyFull).
/// Settings win over the same keywords in a connection string, so one secret serves every mode.
/// </summary>
public static class PostgresTls
{
    public const string SslModeKey = "Postgres:SslMode";
    public const string RootCertificateFileKey = "Postgres:RootCertificateFile";

    /// <summary>The connection string with the TLS settings applied; each problem is added to <paramref name="failures"/>.</summary>
    public static string Apply(string connectionString, IConfiguration configuration, ICollection<string> failures)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Apply(builder, configuration[SslModeKey], configuration[RootCertificateFileKey], failures);
        return builder.ConnectionString;
    }

    public static void Apply(NpgsqlConnectionStringBuilder builder, string? sslMode, string? rootCertificateFile, ICollection<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(sslMode))
        {
            if (Enum.TryParse<SslMode>(sslMode, ignoreCase: true, out var mode) && Enum.IsDefined(mode))
            {
                builder.SslMode = mode;
            }
            else
            {
                failures.Add($"{SslModeKey} must be one of {string.Join(", ", Enum.GetNames<SslMode>())}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(rootCertificateFile))
        {
            if (File.Exists(rootCertificateFile))
            {
                builder.RootCertificate = rootCertificateFile;
            }
            else
            {
                failures.Add($"{RootCertificateFileKey} '{rootCertificateFile}' does not exist.");
            }
        }

        if (builder.SslMode is SslMode.VerifyCA or SslMode.VerifyFull && string.IsNullOrWhiteSpace(builder.RootCertificate))
        {
            failures.Add($"{SslModeKey}={builder.SslMode} needs {RootCertificateFileKey} (the CA that signed the server's certificate).");
        }
    }

    /// <summary>
    /// With SslMode Require or stricter, asks each server whether it speaks TLS, as every client's
    /// first packet does (the 8-byte SSLRequest, answered 'S' or 'N'), and stops the host with one
    /// line when one answers 'N': a PostgreSQL with ssl=off, or a PgBouncer without client_tls_*.
    /// Otherwise every connection would fail deep inside Orleans' start with a stack trace per
    /// retry. A server that cannot be reached is not a configuration error and is left to the
    /// host's own start-up and readiness.
    /// </summary>
    public static void RequireServerTls(string connectionString, TimeSpan timeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.SslMode is not (SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull) || string.IsNullOrWhiteSpace(builder.Host))
        {
            return;
        }

        var failures = new List<string>();
        foreach (var entry in builder.Host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (host, port) = SplitHost(entry, builder.Port);
            if (host.StartsWith('/') || host.StartsWith('@'))
            {
                continue; // A Unix socket: TLS does not apply.
            }

            if (AnswersSslRequest(host, port, timeout) == 'N')
            {
                failures.Add($"{SslModeKey}={builder.SslMode} but the server at {host}:{port} refuses TLS " +
                    "(PostgreSQL with ssl=off, or PgBouncer without client_tls_sslmode/client_tls_cert_file/client_tls_key_file); enable TLS there.");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Postgres", typeof(NpgsqlConnectionStringBuilder), failures);
        }
    }

    private static (string Host, int Port) SplitHost(string entry, int defaultPort)
    {
        var colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(']', StringComparison.Ordinal) < colon
            && int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (entry[..colon].Trim('[', ']'), port)
            : (entry.Trim('[', ']'), defaultPort);
    }

    /// <summary>The server's one-byte answer to an SSLRequest, or null when it cannot be reached in time.</summary>
    private static char? AnswersSslRequest(string host, int port, TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            using var client = new TcpClient();
            client.ConnectAsync(host, port, cancel.Token).AsTask().GetAwaiter().GetResult();
            var stream = client.GetStream();
            var request = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(request, 8);
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), 80877103); // the SSLRequest code of the protocol
            stream.WriteAsync(request, cancel.Token).AsTask().GetAwaiter().GetResult();
            var answer = new byte[1];
            var read = stream.ReadAsync(answer, cancel.Token).AsTask().GetAwaiter().GetResult();
            return read == 1 ? (char)answer[0] : null;
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}
