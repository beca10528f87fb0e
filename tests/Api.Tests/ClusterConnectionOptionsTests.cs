using ClinicCluster.Api.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Cluster:OpenConnectionTimeout reaches the Orleans client's ConnectionOptions (decision 0047):
/// the reconnect to a killed gateway's address, which answers nothing, fails after 1 s instead of
/// Orleans' 5 s, and only then is that gateway set aside for the retries.
/// </summary>
public sealed class ClusterConnectionOptionsTests
{
    [Fact]
    public void Without_configuration_a_gateway_connection_attempt_fails_after_1_s()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), OrleansConnectionOptions().OpenConnectionTimeout);
    }

    [Fact]
    public void A_configured_timeout_reaches_orleans()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), OrleansConnectionOptions(("Cluster:OpenConnectionTimeout", "00:00:01.500")).OpenConnectionTimeout);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:45")]
    public void A_timeout_out_of_range_is_refused_by_name(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => OrleansConnectionOptions(("Cluster:OpenConnectionTimeout", value)));

        Assert.Contains("Cluster:OpenConnectionTimeout", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static ConnectionOptions OrleansConnectionOptions(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddClusterClient();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<ConnectionOptions>>().Value;
    }
}
