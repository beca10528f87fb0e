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
        Validate(options, builder.Environment);
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                // Keep claim names as issued ("sub", "role", "clinic") instead of WS-* URIs.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = options.Audience,
                    NameClaimType = ClinicClaims.Subject,
                    RoleClaimType = ClinicClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };

                if (options.Authority is not null)
                {
                    jwt.Authority = options.Authority;
                }
                else
                {
                    jwt.TokenValidationParameters.ValidIssuer = AuthOptions.DevIssuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = DevTokenIssuer.Key(options.DevSigningKey!);
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
            _ => null,
        };
        if (failure is not null)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), [failure]);
        }
    }
}
