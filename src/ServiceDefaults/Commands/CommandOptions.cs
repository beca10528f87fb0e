using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>Options for a command, which has no host to resolve them from.</summary>
public static class CommandOptions
{
    /// <summary>
    /// A section bound and validated as the hosts do it (<c>AddOptions().BindConfiguration()
    /// .ValidateDataAnnotations()</c>): a failure is the same <see cref="OptionsValidationException"/>,
    /// so the same one line and exit code 2.
    /// </summary>
    public static T Read<T>(IConfiguration configuration, string section)
        where T : class
    {
        var services = new ServiceCollection().AddSingleton(configuration);
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }
}
