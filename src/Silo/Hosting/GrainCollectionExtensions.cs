using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Hosting;

/// <summary>Idle grain collection (<see cref="SiloGrainCollectionOptions"/>), through the options idiom.</summary>
public static class GrainCollectionExtensions
{
    public static WebApplicationBuilder AddSiloGrainCollection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloGrainCollectionOptions>()
            .BindConfiguration(SiloGrainCollectionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloGrainCollectionOptions>, SiloGrainCollectionOptionsValidator>();
        builder.Services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<SiloGrainCollectionOptions>>((orleans, ours) => ours.Value.ApplyTo(orleans));
        return builder;
    }
}
