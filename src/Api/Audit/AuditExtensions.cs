using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicCluster.Api.Audit;

/// <summary>Wires the PHI audit trail into the API.</summary>
public static class AuditExtensions
{
    public static WebApplicationBuilder AddAuditTrail(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditEventFactory>();
        builder.Services.AddSingleton<IAuditTrail, StreamAuditTrail>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        builder.Services.AddSingleton<DenialMetrics>();
        builder.Services.AddOptions<DenialAggregatorOptions>().BindConfiguration(DenialAggregatorOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DenialAggregator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DenialAggregator>());
        return builder;
    }
}
