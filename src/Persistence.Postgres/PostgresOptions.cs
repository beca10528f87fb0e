using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>
/// Where PostgreSQL is (section "Postgres"). Each connection string comes either inline or from a
/// file (a mounted Kubernetes secret); giving both is an error, so no one wonders which one won.
/// </summary>
public sealed class PostgresOptions
{
    public const string SectionName = "Postgres";

    /// <summary>The host's runtime connection (the least-privileged role of the silo or the API).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding <see cref="ConnectionString"/>; surrounding whitespace is ignored.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>The connection <c>migrate</c> uses (the schema owner); defaults to the runtime one.</summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>A file holding <see cref="MigrationConnectionString"/>.</summary>
    public string? MigrationConnectionStringFile { get; set; }

    /// <summary>TLS to the server for every connection (see <see cref="PostgresTls"/>).</summary>
    public string? SslMode { get; set; }

    /// <summary>The PEM CA file that signed the server's certificate.</summary>
    public string? RootCertificateFile { get; set; }

    /// <summary>Read while a host is built (or by a command): the connection decides what is registered.</summary>
    public static PostgresOptions Read(IConfiguration configuration) =>
        ServiceDefaults.ConfiguredOptions.Read<PostgresOptions>(configuration, SectionName);

    /// <summary>
    /// The runtime connection string, with <c>Search Path=orleans</c> unless one is given (the
    /// providers look up their query table without a schema) and <paramref name="applicationName"/>
    /// unless one is given (so pg_stat_activity tells the hosts apart). Throws one message per problem.
    /// </summary>
    public string ResolveRuntime(string applicationName = "clinic-silo")
    {
        var failures = new List<string>();
        var value = Pick(nameof(ConnectionString), ConnectionString, ConnectionStringFile, failures);
        if (value is null && failures.Count == 0)
        {
            failures.Add($"{SectionName}:{nameof(ConnectionString)} (or {nameof(ConnectionStringFile)}) is required for PostgreSQL storage or clustering.");
        }

        return Finish(nameof(ConnectionString), value, applicationName, searchPath: PostgresSchema.Name, failures, this);
    }

    /// <summary>The schema owner's connection string for <c>migrate</c>.</summary>
    public string ResolveMigration()
    {
        var failures = new List<string>();
        var value = Pick(nameof(MigrationConnectionString), MigrationConnectionString, MigrationConnectionStringFile, failures);
        var name = nameof(MigrationConnectionString);
        if (value is null && failures.Count == 0)
        {
            value = Pick(nameof(ConnectionString), ConnectionString, ConnectionStringFile, failures);
            name = nameof(ConnectionString);
        }

        if (value is null && failures.Count == 0)
        {
            failures.Add($"{SectionName}:{nameof(MigrationConnectionString)} or {SectionName}:{nameof(ConnectionString)} (or their *File forms) is required to migrate.");
        }

        return Finish(name, value, "clinic-migrate", searchPath: null, failures, this);
    }

    private static string? Pick(string name, string? inline, string? file, List<string> failures)
    {
        var hasInline = !string.IsNullOrWhiteSpace(inline);
        var hasFile = !string.IsNullOrWhiteSpace(file);
        if (hasInline && hasFile)
        {
            failures.Add($"{SectionName}:{name} and {SectionName}:{name}File are both set; set only one.");
            return null;
        }

        if (hasInline)
        {
            return inline!.Trim();
        }

        if (!hasFile)
        {
            return null;
        }

        try
        {
            var content = File.ReadAllText(file!).Trim();
            if (content.Length == 0)
            {
                failures.Add($"{SectionName}:{name}File '{file}' is empty.");
                return null;
            }

            return content;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{SectionName}:{name}File '{file}' cannot be read: {exception.Message}");
            return null;
        }
    }

    private static string Finish(string name, string? value, string applicationName, string? searchPath, List<string> failures, PostgresOptions tls)
    {
        if (value is not null)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(value);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    failures.Add($"{SectionName}:{name} has no Host.");
                }

                if (searchPath is not null && string.IsNullOrWhiteSpace(builder.SearchPath))
                {
                    builder.SearchPath = searchPath;
                }

                if (string.IsNullOrWhiteSpace(builder.ApplicationName))
                {
                    builder.ApplicationName = applicationName;
                }

                PostgresTls.Apply(builder, tls.SslMode, tls.RootCertificateFile, failures);

                value = builder.ConnectionString;
            }
            catch (ArgumentException exception)
            {
                // The parser's messages name keywords, never values, so no password reaches the log.
                failures.Add($"{SectionName}:{name} is not a valid Npgsql connection string: {exception.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(PostgresOptions), failures);
        }

        return value!;
    }
}
