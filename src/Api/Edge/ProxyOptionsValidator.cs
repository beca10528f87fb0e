using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>Every trusted proxy network parses as CIDR, so the forwarded-headers and connection set-up never meet a bad one.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options) =>
        options.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ProxyOptions.SectionName}:{nameof(ProxyOptions.KnownNetworks)} must be CIDR networks such as 10.0.0.0/8.");
}
