using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Hosting;

/// <summary>
/// The rules that span two collection settings, applied to what Orleans will run with (a setting
/// left unset counts at Orleans' default): the collector must look more often than a grain may
/// idle, and shedding must aim below the level that starts it.
/// </summary>
public sealed class SiloGrainCollectionOptionsValidator : IValidateOptions<SiloGrainCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloGrainCollectionOptions options)
    {
        var effective = new GrainCollectionOptions();
        options.ApplyTo(effective);
        var section = SiloGrainCollectionOptions.SectionName;
        if (effective.CollectionQuantum >= effective.CollectionAge)
        {
            return ValidateOptionsResult.Fail(
                $"{section}:CollectionQuantum ({effective.CollectionQuantum:c}) must be shorter than {section}:CollectionAge ({effective.CollectionAge:c}).");
        }

        return effective.MemoryUsageTargetPercentage < effective.MemoryUsageLimitPercentage
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{section}:MemoryUsageTargetPercentage must be below {section}:MemoryUsageLimitPercentage.");
    }
}
