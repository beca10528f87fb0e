using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Auth;

/// <summary>
/// Auth's rules span its fields and the environment: exactly one way to validate tokens, the
/// development key only in Development, bounded skew and cache. Each failure names the setting.
/// </summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failure = (options.Authority, options.DevSigningKey) switch
        {
            (null, null) => "Auth: set Auth:Authority (an OpenID Connect issuer) or, in Development, Auth:DevSigningKey.",
            (not null, not null) => "Auth: set either Auth:Authority or Auth:DevSigningKey, not both.",
            (null, { } key) when !environment.IsDevelopment() =>
                "Auth:DevSigningKey is accepted only in the Development environment; use Auth:Authority.",
            (null, { Length: < DevTokenIssuer.MinimumKeyLength }) =>
                $"Auth:DevSigningKey must be at least {DevTokenIssuer.MinimumKeyLength} characters.",
            _ when options.ClockSkew < TimeSpan.Zero || options.ClockSkew > AuthOptions.MaxClockSkew =>
                $"Auth:ClockSkew must be between 00:00:00 and {AuthOptions.MaxClockSkew:c}.",
            _ when options.TokenCacheDuration < TimeSpan.Zero || options.TokenCacheDuration > AuthOptions.MaxTokenCacheDuration =>
                $"Auth:TokenCacheDuration must be between 00:00:00 and {AuthOptions.MaxTokenCacheDuration:c}.",
            _ when options.TokenCacheSize is < 1 or > 1_000_000 => "Auth:TokenCacheSize must be between 1 and 1000000.",
            _ when string.IsNullOrWhiteSpace(options.Audience) => "Auth:Audience is required.",
            _ when options.TokenTypes is not { Length: > 0 } => "Auth:TokenTypes must name at least one token type.",
            _ when options.Authority is not null && (options.Algorithms is not { Length: > 0 } || options.Algorithms.Any(IsWeak)) =>
                "Auth:Algorithms must name asymmetric algorithms only (RS*, PS*, ES*); never none or HS*.",
            _ => null,
        };
        return failure is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failure);
    }

    private static bool IsWeak(string algorithm) =>
        !(algorithm.StartsWith("RS", StringComparison.Ordinal) || algorithm.StartsWith("PS", StringComparison.Ordinal) || algorithm.StartsWith("ES", StringComparison.Ordinal));
}
