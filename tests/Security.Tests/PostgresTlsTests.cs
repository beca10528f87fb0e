using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClinicCluster.Persistence.Postgres;
using ClinicCluster.ServiceDefaults;
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
    public async Task A_replaced_root_certificate_is_read_by_the_next_physical_connection()
    {
        // The CA file as a pod mounts it (a Secret volume), and one data source built once, as each host builds its own.
        var serverCa = await File.ReadAllTextAsync(fixture.Database.CaFile);
        using var other = new TestCa("CN=Not the server's CA");
        using var secret = new SecretVolume(new Dictionary<string, string> { ["ca.crt"] = serverCa });
        await using var dataSource = NpgsqlDataSource.Create(Resolve(fixture.Database.App, "VerifyFull", secret["ca.crt"]));
        Assert.True(await OverTlsAsync(dataSource));

        // Only a CA that did not sign the server: the next physical connection refuses the server,
        // so the file is read per connection, not once per data source.
        secret.Update(new Dictionary<string, string> { ["ca.crt"] = other.CertificatePem });
        dataSource.Clear();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => OverTlsAsync(dataSource));
        Assert.True(refused is NpgsqlException or System.Security.Authentication.AuthenticationException, refused.GetType().Name);

        // The overlap bundle of a CA roll (the new CA and the server's current one): connects again.
        secret.Update(new Dictionary<string, string> { ["ca.crt"] = other.CertificatePem + serverCa });
        dataSource.Clear();
        Assert.True(await OverTlsAsync(dataSource));
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

    private static async Task<bool> OverTlsAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>What the silo builds from configuration (the same rules serve the API's connection).</summary>
    private static string Resolve(string connectionString, string sslMode, string? caFile) =>
        new PostgresOptions { ConnectionString = connectionString, SslMode = sslMode, RootCertificateFile = caFile }.ResolveRuntime();
}
