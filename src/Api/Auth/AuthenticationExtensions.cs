using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ClinicCluster.Api.Auth;

/// <summary>JWT bearer authentication and one authorization policy per <see cref="Permission"/>.</summary>
public static class AuthenticationExtensions
{
    public static WebApplicationBuilder AddClinicAuthentication(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();

        // An empty value (Auth__DevSigningKey= in a manifest) means unset, not "an empty key".
        options.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
        options.DevSigningKey = string.IsNullOrWhiteSpace(options.DevSigningKey) ? null : options.DevSigningKey;
        Validate(options, builder.Environment);
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                // Keep claim names as issued ("sub", "role", "clinic") instead of WS-* URIs.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    // Everything is checked, whatever a library default says: issuer, audience,
                    // lifetime (with exp required), the signature, the algorithm and the token type.
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidAudience = options.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ValidTypes = options.TokenTypes,
                    ClockSkew = options.ClockSkew,
                    NameClaimType = ClinicClaims.Subject,
                    RoleClaimType = ClinicClaims.Role,
                };

                if (options.Authority is not null)
                {
                    // The issuer and keys come from the authority's metadata, over HTTPS only.
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = true;
                    jwt.TokenValidationParameters.ValidAlgorithms = options.Algorithms;
                }
                else
                {
                    jwt.TokenValidationParameters.ValidIssuer = AuthOptions.DevIssuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = DevTokenIssuer.Key(options.DevSigningKey!);
                    jwt.TokenValidationParameters.ValidAlgorithms = [AuthOptions.DevAlgorithm];
                }

                if (options.TokenCacheDuration > TimeSpan.Zero)
                {
                    // Wraps the handler configured above (claim names kept as issued).
                    var handler = jwt.TokenHandlers.Single();
                    jwt.TokenHandlers.Clear();
                    jwt.TokenHandlers.Add(new CachingTokenHandler(handler, options.TokenCacheSize, options.TokenCacheDuration, TimeProvider.System));
                }
            });

        builder.Services.AddSingleton<IAuthorizationHandler, ClinicPermissionHandler>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPermissionPolicies();
        return builder;
    }

    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            builder.AddPolicy(permission.Policy(), policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new ClinicPermissionRequirement(permission)));
        }

        return builder;
    }

    private static bool IsWeak(string algorithm) =>
        !(algorithm.StartsWith("RS", StringComparison.Ordinal) || algorithm.StartsWith("PS", StringComparison.Ordinal) || algorithm.StartsWith("ES", StringComparison.Ordinal));

    /// <summary>Exactly one way to validate tokens, and the development key only in Development.</summary>
    private static void Validate(AuthOptions options, IHostEnvironment environment)
    {
        string? failure = (options.Authority, options.DevSigningKey) switch
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
        if (failure is not null)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), [failure]);
        }
    }
}
