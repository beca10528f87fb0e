using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// Silo:OpenConnectionTimeout reaches Orleans' ConnectionOptions (decision 0047): a connect to a
/// dead pod's address, which answers nothing, fails after 1 s instead of Orleans' 5 s.
/// </summary>
public sealed class SiloConnectionOptionsTests
{
    [Fact]
    public void Without_configuration_a_connection_attempt_fails_after_1_s()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), OrleansConnectionOptions().OpenConnectionTimeout);
    }

    [Fact]
    public void A_configured_timeout_reaches_orleans()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), OrleansConnectionOptions(("Silo:OpenConnectionTimeout", "00:00:03")).OpenConnectionTimeout);
    }

    [Theory]
    [InlineData("00:00:00.050")]
    [InlineData("00:01:00")]
    public void A_timeout_out_of_range_is_refused_by_name(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => OrleansConnectionOptions(("Silo:OpenConnectionTimeout", value)));

        Assert.Contains("Silo:OpenConnectionTimeout", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    private static ConnectionOptions OrleansConnectionOptions(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        var options = SiloHostingExtensions.ReadOptions(builder.Configuration);
        builder.UseOrleans(silo => silo.AddClinicClustering(options, pod: null, postgres: null));
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<ConnectionOptions>>().Value;
    }
}
