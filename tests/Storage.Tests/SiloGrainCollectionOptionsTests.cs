using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Storage.Tests;

/// <summary>Silo:GrainCollection reaches Orleans' GrainCollectionOptions through the one options idiom (issue 21, idle memory).</summary>
public sealed class SiloGrainCollectionOptionsTests
{
    [Fact]
    public void Unset_settings_keep_orleans_defaults()
    {
        var orleans = Collection().GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
        var defaults = new GrainCollectionOptions();

        Assert.Equal((defaults.CollectionAge, defaults.CollectionQuantum, defaults.EnableActivationSheddingOnMemoryPressure),
            (orleans.CollectionAge, orleans.CollectionQuantum, orleans.EnableActivationSheddingOnMemoryPressure));
    }

    [Fact]
    public void Configured_values_reach_orleans()
    {
        var orleans = Collection(("CollectionAge", "00:01:00"), ("CollectionQuantum", "00:00:05"), ("DeactivationTimeout", "00:00:20"),
                ("EnableActivationSheddingOnMemoryPressure", "true"), ("MemoryUsageLimitPercentage", "85"), ("MemoryUsageTargetPercentage", "70"))
            .GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)), (orleans.CollectionAge, orleans.CollectionQuantum, orleans.DeactivationTimeout));
        Assert.Equal((true, 85, 70), (orleans.EnableActivationSheddingOnMemoryPressure, orleans.MemoryUsageLimitPercentage, orleans.MemoryUsageTargetPercentage));
    }

    [Theory]
    [InlineData("CollectionAge", "00:00:01", "CollectionAge")]
    [InlineData("MemoryUsageLimitPercentage", "101", "MemoryUsageLimitPercentage")]
    [InlineData("CollectionQuantum", "00:02:00", "CollectionQuantum (00:02:00) must be shorter than Silo:GrainCollection:CollectionAge (00:01:00)")]
    [InlineData("MemoryUsageTargetPercentage", "95", "MemoryUsageTargetPercentage must be below")]
    public void A_value_out_of_range_is_refused_by_name(string key, string value, string expected)
    {
        var services = key == "CollectionQuantum" ? Collection(("CollectionAge", "00:01:00"), (key, value)) : Collection((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SiloGrainCollectionOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Collection(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        foreach (var (key, value) in settings)
        {
            builder.Configuration[$"{SiloGrainCollectionOptions.SectionName}:{key}"] = value;
        }

        builder.AddSiloGrainCollection();
        return builder.Services.BuildServiceProvider();
    }
}
