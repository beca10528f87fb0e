using System.ComponentModel.DataAnnotations;
using ClinicCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace ClinicCluster.Silo.Hosting;

/// <summary>Turns configuration into a silo: clustering, storage, dashboard, health and shutdown.</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddClinicSilo(this WebApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration);

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddClinicGrainServices(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [ServiceDefaultsExtensions.ReadyTag]);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });

            switch (options.Clustering)
            {
                case ClusteringMode.Localhost:
                    silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                    break;
                default:
                    throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions),
                        [$"Silo:Clustering '{options.Clustering}' is not supported by this build."]);
            }

            switch (options.Storage)
            {
                case StorageMode.Memory:
                    silo.AddMemoryGrainStorage(StorageNames.Clinics);
                    silo.AddMemoryGrainStorage(StorageNames.Patients);
                    silo.AddMemoryGrainStorage(StorageNames.Scheduling);
                    break;
                default:
                    throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions),
                        [$"Silo:Storage '{options.Storage}' is not supported by this build."]);
            }

            silo.AddDashboard();
        });

        return builder;
    }

    /// <summary>Binds and validates <see cref="SiloOptions"/>; a bad value stops the host with its setting's name.</summary>
    internal static SiloOptions ReadOptions(IConfiguration configuration)
    {
        var options = new SiloOptions();
        configuration.GetSection(SiloOptions.SectionName).Bind(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions),
                results.Select(r => $"Silo:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        return options;
    }
}
