using Microsoft.Extensions.Options;

namespace ClinicCluster.Silo.Memory;

/// <summary>The memory trim after a large deactivation (<see cref="MemoryTrimOptions"/>), through the options idiom.</summary>
public static class MemoryTrimExtensions
{
    public static WebApplicationBuilder AddSiloMemoryTrim(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MemoryTrimOptions>()
            .BindConfiguration(MemoryTrimOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MemoryTrimOptions>, MemoryTrimOptionsValidator>();
        builder.Services.AddSingleton<DeactivationCounter>();
        builder.Services.AddSingleton<IActivationWorkingSetObserver>(sp => sp.GetRequiredService<DeactivationCounter>());
        builder.Services.AddHostedService<MemoryTrimmer>();
        return builder;
    }
}
