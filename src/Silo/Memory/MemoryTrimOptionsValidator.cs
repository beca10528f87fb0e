using Microsoft.Extensions.Options;

namespace ClinicCluster.Silo.Memory;

/// <summary>
/// The rule that spans two trim settings: trims must be further apart than samples, else the
/// minimum interval would not hold a trim back at all.
/// </summary>
public sealed class MemoryTrimOptionsValidator : IValidateOptions<MemoryTrimOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryTrimOptions options)
    {
        var section = MemoryTrimOptions.SectionName;
        return options.MinimumInterval > options.SampleInterval
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{section}:MinimumInterval ({options.MinimumInterval:c}) must be longer than {section}:SampleInterval ({options.SampleInterval:c}).");
    }
}
