using ClinicCluster.Silo.Memory;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace ClinicCluster.Storage.Tests;

/// <summary>Silo:MemoryTrim through the one options idiom: defaults, binding, and bad values refused by name (decision 0055).</summary>
public sealed class MemoryTrimOptionsTests
{
    [Fact]
    public void Unset_settings_trim_with_the_documented_defaults()
    {
        var options = Trim().GetRequiredService<IOptions<MemoryTrimOptions>>().Value;

        Assert.Equal((true, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10)), (options.Enabled, options.SampleInterval, options.MinimumInterval));
        Assert.Equal((4, 10_000, 256), (options.IdleAllocationMiBPerSecond, options.MinimumDeactivations, options.MinimumUnusedCommittedMiB));
    }

    [Fact]
    public void Configured_values_are_bound_and_the_trimmer_is_hosted()
    {
        var services = Trim(("Enabled", "false"), ("SampleInterval", "00:00:05"), ("MinimumInterval", "00:01:00"),
            ("IdleAllocationMiBPerSecond", "2"), ("MinimumDeactivations", "500"), ("MinimumUnusedCommittedMiB", "64"));
        var options = services.GetRequiredService<IOptions<MemoryTrimOptions>>().Value;

        Assert.Equal((false, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), (options.Enabled, options.SampleInterval, options.MinimumInterval));
        Assert.Equal((2, 500, 64), (options.IdleAllocationMiBPerSecond, options.MinimumDeactivations, options.MinimumUnusedCommittedMiB));
        Assert.Contains(services.GetServices<IHostedService>(), s => s.GetType().Name == "MemoryTrimmer");
        Assert.Same(services.GetRequiredService<DeactivationCounter>(), Assert.Single(services.GetServices<IActivationWorkingSetObserver>()));
    }

    [Theory]
    [InlineData("SampleInterval", "00:00:00.500", "SampleInterval")]
    [InlineData("MinimumInterval", "00:00:01", "MinimumInterval")]
    [InlineData("IdleAllocationMiBPerSecond", "0", "IdleAllocationMiBPerSecond")]
    [InlineData("MinimumDeactivations", "0", "MinimumDeactivations")]
    [InlineData("MinimumUnusedCommittedMiB", "8", "MinimumUnusedCommittedMiB")]
    [InlineData("SampleInterval", "00:10:00", "Silo:MemoryTrim:MinimumInterval (00:01:00) must be longer than Silo:MemoryTrim:SampleInterval (00:10:00)")]
    public void A_bad_value_is_refused_by_name(string key, string value, string expected)
    {
        var services = key == "SampleInterval" && value == "00:10:00" ? Trim(("MinimumInterval", "00:01:00"), (key, value)) : Trim((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MemoryTrimOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Trim(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        foreach (var (key, value) in settings)
        {
            builder.Configuration[$"{MemoryTrimOptions.SectionName}:{key}"] = value;
        }

        builder.Services.AddMetrics();
        builder.Services.AddLogging();
        builder.AddSiloMemoryTrim();
        return builder.Services.BuildServiceProvider();
    }
}
