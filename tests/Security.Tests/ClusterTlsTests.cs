using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ClinicCluster.Clinics;
using ClinicCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// Mutual TLS inside the cluster. The fixture's silo and API already run with it (every other test
/// in this project goes through it); here: a second trusted silo joins, and a client or a peer
/// with a certificate of another CA, or without TLS, is refused on both the gateway and silo ports.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class ClusterTlsTests(SecurityFixture fixture)
{
    [Fact]
    public async Task A_second_silo_with_a_trusted_certificate_joins_the_cluster()
    {
        var settings = TestCertificates.Settings(fixture.Certificates.Silo);
        settings["Postgres:SslMode"] = "VerifyFull";
        settings["Postgres:RootCertificateFile"] = fixture.Database.CaFile;
        await using var second = await SiloHost.StartAsync(fixture.Database.App, settings);
        var management = fixture.Silo.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await management.GetHosts(onlyActive: true)).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);

        // Grain calls between the silos work: a clinic created through one is read through the other.
        var id = "tls-" + Guid.NewGuid().ToString("N")[..8];
        var settingsOfClinic = new ClinicSettings("TLS clinic", "America/New_York", [new AppointmentType("checkup", 30)], BookingPolicy.Default);
        Assert.True((await fixture.Silo.Grains.GetGrain<IClinicGrain>(id).CreateAsync(settingsOfClinic)).IsSuccess);
        Assert.NotNull(await second.Grains.GetGrain<IClinicGrain>(id).GetAsync());
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_another_ca_is_refused()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectClientAsync(client => client.UseTls(o => Rogue(o))));
        Assert.False(refused is OptionsValidationException, refused.ToString());
    }

    [Fact]
    public async Task A_client_without_tls_is_refused()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectClientAsync(_ => { }));
        Assert.False(refused is OptionsValidationException, refused.ToString());
    }

    [Fact]
    public async Task A_client_with_a_trusted_certificate_connects()
    {
        var tls = ClusterTls.Load(Configuration(TestCertificates.Settings(fixture.Certificates.Api)), reachableFromOtherMachines: true)!;
        await ConnectClientAsync(client => client.UseTls(tls.Configure));
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task Both_ports_complete_a_handshake_only_with_a_certificate_of_the_cluster_ca(string port)
    {
        var endpoint = fixture.Silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var number = port == "silo" ? endpoint.SiloPort : endpoint.GatewayPort;

        using var trusted = X509Certificate2.CreateFromPemFile(fixture.Certificates.Api.CertificateFile, fixture.Certificates.Api.KeyFile);
        Assert.True(await HandshakeAsync(number, trusted));

        using var rogue = X509Certificate2.CreateFromPemFile(fixture.Certificates.Rogue.CertificateFile, fixture.Certificates.Rogue.KeyFile);
        Assert.False(await HandshakeAsync(number, rogue));
        Assert.False(await HandshakeAsync(number, certificate: null));
    }

    [Fact]
    public void AdoNet_clustering_without_certificates_refuses_to_start_with_one_line()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => ClusterTls.Load(Configuration([]), reachableFromOtherMachines: true));
        var line = Assert.Single(failure.Failures);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("ClusterTls:CertificateFile", line, StringComparison.Ordinal);
        Assert.Contains("ClusterTls:Enabled=false", line, StringComparison.Ordinal);

        Assert.Null(ClusterTls.Load(Configuration([]), reachableFromOtherMachines: false));
        Assert.Null(ClusterTls.Load(Configuration(new() { ["ClusterTls:Enabled"] = "false" }), reachableFromOtherMachines: true));

        // A certificate that does not chain to the configured CA is caught at start, not at the first connection.
        var mismatched = TestCertificates.Settings(fixture.Certificates.Rogue);
        mismatched["ClusterTls:CaFile"] = fixture.Certificates.ClusterCa;
        var wrong = Assert.Throws<OptionsValidationException>(() => ClusterTls.Load(Configuration(mismatched), reachableFromOtherMachines: true));
        Assert.Contains("not signed by a CA in ClusterTls:CaFile", Assert.Single(wrong.Failures), StringComparison.Ordinal);
    }

    /// <summary>A client presenting the rogue certificate, trusting the cluster CA (so only the server can refuse).</summary>
    private void Rogue(TlsOptions options)
    {
        using var pem = X509Certificate2.CreateFromPemFile(fixture.Certificates.Rogue.CertificateFile, fixture.Certificates.Rogue.KeyFile);
        options.LocalCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.AllowAnyRemoteCertificate();
    }

    private async Task ConnectClientAsync(Action<IClientBuilder> configureTls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = PostgresServer.OnDatabase(fixture.Database.App, fixture.Database.Name) + ";Search Path=orleans";
            });
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("clinic-cluster-dev", "clinic-cluster"));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            configureTls(client);
        });
        using var host = builder.Build();
        // A trusted client connects within a second or two; a refused one keeps retrying the gateway until this ends.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StartAsync(timeout.Token);
        try
        {
            var clinic = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IClinicGrain>("tls-none").GetAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Null(clinic);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A raw TLS handshake on a silo port, presenting <paramref name="certificate"/> (or none).</summary>
    private static async Task<bool> HandshakeAsync(int port, X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = certificate is null ? null : [certificate],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, timeout.Token);

            // TLS 1.3 finishes the client's side before the server has checked the client's
            // certificate; a refused client learns it on its first read (an alert, or the end).
            var read = await ssl.ReadAsync(new byte[1], timeout.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(2), timeout.Token);
            return read > 0;
        }
        catch (TimeoutException)
        {
            // Still open and waiting for a real Orleans preamble: the server accepted us.
            return true;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
