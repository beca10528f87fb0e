using System.Net;
using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Storage.Tests;

/// <summary>What address an AdoNet-clustered silo advertises and listens on; built, never started.</summary>
public sealed class EndpointConfigurationTests
{
    [Fact]
    public void Off_kubernetes_the_silo_advertises_loopback_and_listens_everywhere()
    {
        var endpoints = Endpoints();

        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 21111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 31111), endpoints.GatewayListeningEndpoint);
    }

    [Fact]
    public void In_a_pod_the_silo_advertises_the_pod_ip()
    {
        var endpoints = Endpoints(("POD_NAME", "silo-0"), ("POD_IP", "10.1.2.3"));

        Assert.Equal(IPAddress.Parse("10.1.2.3"), endpoints.AdvertisedIPAddress);
    }

    [Fact]
    public void A_configured_advertised_address_wins()
    {
        var endpoints = Endpoints(("POD_NAME", "silo-0"), ("POD_IP", "10.1.2.3"), ("Silo:AdvertisedIPAddress", "192.0.2.7"));

        Assert.Equal(IPAddress.Parse("192.0.2.7"), endpoints.AdvertisedIPAddress);
    }

    [Fact]
    public void A_malformed_pod_ip_stops_the_host()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Endpoints(("POD_NAME", "silo-0"), ("POD_IP", "not-an-ip")));

        Assert.Contains("POD_IP", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static EndpointOptions Endpoints(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Silo:Clustering"] = "AdoNet",
            ["Silo:Storage"] = "Postgres",
            ["Silo:SiloPort"] = "21111",
            ["Silo:GatewayPort"] = "31111",
            ["Postgres:ConnectionString"] = "Host=127.0.0.1;Database=clinic;Username=clinic_app;Password=unused",
            ["Encryption:KeyRingFile"] = TestKeyRings.PhiRingFile,
            ["ClusterTls:Enabled"] = "false",
            ["Audit:ChainKeyFile"] = TestKeyRings.ChainRingFile,
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddClinicSilo();
        using var app = builder.Build();
        return app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }
}
