using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>HSTS from <see cref="HttpsSettings"/>; the redirect itself is decided in <see cref="EdgeLimitsExtensions.UseEdgeResponses"/>.</summary>
internal static class HttpsEnforcementExtensions
{
    public static IServiceCollection AddHttpsEnforcement(this IServiceCollection services)
    {
        services.AddOptions<HttpsSettings>().BindConfiguration(HttpsSettings.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHsts(_ => { });
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsSettings>>((hsts, settings) =>
        {
            hsts.MaxAge = settings.Value.HstsMaxAge;
            hsts.IncludeSubDomains = settings.Value.HstsIncludeSubDomains;
        });
        return services;
    }
}
