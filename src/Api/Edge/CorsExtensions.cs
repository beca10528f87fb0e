using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>One CORS policy, for the origins in <see cref="CorsOptions"/>; none listed, no policy and no CORS middleware.</summary>
internal static class CorsExtensions
{
    public const string PolicyName = "configured-origins";

    public static IServiceCollection AddConfiguredCors(this IServiceCollection services)
    {
        services.AddOptions<CorsOptions>().BindConfiguration(CorsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorsOptions>, CorsOptionsValidator>();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsOptions>>((cors, settings) =>
        {
            if (settings.Value.AllowedOrigins.Length > 0)
            {
                cors.AddPolicy(PolicyName, policy => policy
                    .WithOrigins(settings.Value.AllowedOrigins)
                    .WithMethods("GET", "POST", "PUT")
                    .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "X-Purpose-Of-Use")
                    .WithExposedHeaders("Location", "Retry-After"));
            }
        });
        return services;
    }
}
