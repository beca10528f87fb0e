using ClinicCluster.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Grains.Tests;

/// <summary>The silo's scheduling settings as the hosts bind them (no cluster needed).</summary>
public sealed class SchedulingOptionsTests
{
    [Fact]
    public void The_replaced_no_show_setting_stops_the_host_naming_what_replaced_it()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Scheduling:NoShowAfter", "00:30:00")));

        var failure = Assert.Single(error.Failures);
        Assert.Contains("Scheduling:NoShowAfter", failure, StringComparison.Ordinal);
        Assert.Contains("checkInGraceMinutes", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_it_the_scheduling_settings_bind()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Bind(("Scheduling:SweepInterval", "00:00:30")).SweepInterval);
    }

    [Theory]
    [InlineData("00:00:00.050")]
    [InlineData("00:01:00.001")]
    public void A_hold_minute_outside_100_ms_to_a_minute_stops_the_host_naming_the_setting(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Scheduling:HoldMinute", value)));

        Assert.Contains("Scheduling:HoldMinute", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hold_minute_is_a_minute_unless_a_test_shortens_it()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Bind().HoldMinute);
        Assert.Equal(TimeSpan.FromSeconds(1), Bind(("Scheduling:HoldMinute", "00:00:01")).HoldMinute);
    }

    [Theory]
    [InlineData("00:00:00.005")]
    [InlineData("00:00:31")]
    public void A_replica_publish_timeout_outside_10_ms_to_30_s_stops_the_host_naming_the_setting(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Scheduling:ReplicaPublishTimeout", value)));

        Assert.Contains("Scheduling:ReplicaPublishTimeout", Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), Bind().ReplicaPublishTimeout);
    }

    private static SchedulingOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddClinicGrainServices().BuildServiceProvider();
        return services.GetRequiredService<IOptions<SchedulingOptions>>().Value;
    }
}
