using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClinicCluster.ServiceDefaults.Management;

/// <summary>How a host declares that it runs as the embedded default.</summary>
public static class ManagementBuilderExtensions
{
    /// <summary>
    /// The host runs as the embedded default (one machine, in-memory state, nothing to protect):
    /// management endpoints need no credentials. Every other configuration must provide them.
    /// </summary>
    public static IHostApplicationBuilder AllowAnonymousManagement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new AnonymousManagement());
        return builder;
    }

    internal static void UseManagementGate(this IApplicationBuilder app) => app.UseMiddleware<ManagementGateMiddleware>();
}

/// <summary>Present when the host is the embedded default.</summary>
public sealed class AnonymousManagement;
