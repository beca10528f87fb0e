using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ClinicCluster.ServiceDefaults;

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
}
