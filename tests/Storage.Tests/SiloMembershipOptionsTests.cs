using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Storage.Tests;

/// <summary>Silo:Membership reaches Orleans' ClusterMembershipOptions through the one options idiom (decision 0038).</summary>
public sealed class SiloMembershipOptionsTests
{
    [Fact]
    public void Without_configuration_a_dead_silo_is_probed_every_2_s_and_suspected_after_3_misses()
    {
        var orleans = Membership().GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(2), 3, 2), (orleans.ProbeTimeout, orleans.NumMissedProbesLimit, orleans.NumVotesForDeathDeclaration));
        Assert.True(orleans.ExtendProbeTimeoutDuringDegradation);
    }

    [Fact]
    public void Configured_values_reach_orleans()
    {
        var orleans = Membership(("ProbeTimeout", "00:00:05"), ("NumMissedProbesLimit", "2"), ("TableRefreshTimeout", "00:00:05"))
            .GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(5)), (orleans.ProbeTimeout, orleans.NumMissedProbesLimit, orleans.TableRefreshTimeout));
    }

    [Theory]
    [InlineData("ProbeTimeout", "00:00:00.1", "ProbeTimeout")]
    [InlineData("NumMissedProbesLimit", "0", "NumMissedProbesLimit")]
    [InlineData("DeathVoteExpirationTimeout", "00:00:10", "DeathVoteExpirationTimeout must exceed")]
    public void A_value_out_of_range_is_refused_by_name(string key, string value, string expected)
    {
        var services = Membership((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SiloMembershipOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Membership(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        foreach (var (key, value) in settings)
        {
            builder.Configuration[$"{SiloMembershipOptions.SectionName}:{key}"] = value;
        }

        builder.AddSiloMembership();
        return builder.Services.BuildServiceProvider();
    }
}
