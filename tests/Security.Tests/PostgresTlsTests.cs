using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.Silo.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Security.Tests;

/// <summary>TLS to PostgreSQL: verify-full against the test server's CA succeeds, any other CA fails, bad settings stop the host.</summary>
[Collection(SecurityCollection.Name)]
public sealed class PostgresTlsTests(SecurityFixture fixture)
{
    [Fact]
    public async Task Verify_full_with_the_servers_ca_connects_over_tls()
    {
        var connectionString = Resolve(fixture.Database.App, "VerifyFull", fixture.Database.CaFile);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Verify_full_with_another_ca_is_refused()
    {
        var otherCa = Path.Combine(Path.GetTempPath(), $"other-ca-{Guid.NewGuid():N}.crt");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Not the server's CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherCa, ca.ExportCertificatePem());
        }

        try
        {
            var connectionString = Resolve(fixture.Database.App, "VerifyFull", otherCa) + ";Pooling=false";
            await using var connection = new NpgsqlConnection(connectionString);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());
            Assert.True(refused is NpgsqlException or System.Security.Authentication.AuthenticationException, refused.GetType().Name);
        }
        finally
        {
            File.Delete(otherCa);
        }
    }

    [Fact]
    public void Verify_full_without_a_ca_or_with_an_unknown_mode_stops_the_host_with_one_line()
    {
        var missing = Assert.Throws<OptionsValidationException>(() => Resolve(fixture.Database.App, "VerifyFull", null));
        Assert.Contains("Postgres:RootCertificateFile", Assert.Single(missing.Failures), StringComparison.Ordinal);

        var unknown = Assert.Throws<OptionsValidationException>(() => Resolve(fixture.Database.App, "Sometimes", null));
        Assert.Contains("Postgres:SslMode", Assert.Single(unknown.Failures), StringComparison.Ordinal);

        var absent = Assert.Throws<OptionsValidationException>(() => Resolve(fixture.Database.App, "Require", "/nonexistent/ca.crt"));
        Assert.Contains("does not exist", Assert.Single(absent.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_win_over_the_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(Resolve(fixture.Database.App + ";SSL Mode=Disable", "VerifyFull", fixture.Database.CaFile));
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal(fixture.Database.CaFile, builder.RootCertificate);

        var failures = new List<string>();
        var api = PostgresTls.Apply(fixture.Database.App, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PostgresTls.SslModeKey] = "VerifyFull",
            [PostgresTls.RootCertificateFileKey] = fixture.Database.CaFile,
        }).Build(), failures);
        Assert.Empty(failures);
        Assert.Equal(SslMode.VerifyFull, new NpgsqlConnectionStringBuilder(api).SslMode);
    }

    /// <summary>What the silo builds from configuration (the same rules serve the API's connection).</summary>
    private static string Resolve(string connectionString, string sslMode, string? caFile) =>
        new PostgresOptions { ConnectionString = connectionString, SslMode = sslMode, RootCertificateFile = caFile }.ResolveRuntime();
}
