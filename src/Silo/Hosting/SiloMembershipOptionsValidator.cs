using Microsoft.Extensions.Options;

namespace ClinicCluster.Silo.Hosting;

/// <summary>
/// The rule that spans two membership settings: a suspicion must outlive the time it takes to
/// collect the others (each monitor may stretch its timeout to four times ProbeTimeout, for every
/// missed probe), else votes expire before a dead silo gathers enough of them.
/// </summary>
public sealed class SiloMembershipOptionsValidator : IValidateOptions<SiloMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloMembershipOptions options)
    {
        var detection = options.ProbeTimeout * 4 * options.NumMissedProbesLimit;
        return options.DeathVoteExpirationTimeout > detection
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{SiloMembershipOptions.SectionName}:DeathVoteExpirationTimeout must exceed 4 x ProbeTimeout x NumMissedProbesLimit ({detection:c}).");
    }
}
