using ClinicCluster.Fhir.Smart;
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
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .PostConfigure(options =>
            {
                // An empty value (Auth__DevSigningKey= in a manifest) means unset, not "an empty key".
                options.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
                options.DevSigningKey = string.IsNullOrWhiteSpace(options.DevSigningKey) ? null : options.DevSigningKey;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                var options = auth.Value;
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
        builder.Services.AddSingleton<ISmartAuthority, FhirSmartAuthority>();
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
}
