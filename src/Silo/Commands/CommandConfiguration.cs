// The silo's root namespace on purpose: every command, whatever feature folder it lives in, sees it.
namespace ClinicCluster.Silo;

/// <summary>
/// Configuration for one-shot commands (<c>migrate</c> and the like): the same sources the host
/// reads, without building a host. appsettings come from next to the binary, so a command works
/// from any working directory (a Kubernetes Job, a developer's shell at the repository root).
/// </summary>
internal static class CommandConfiguration
{
    public static IConfigurationRoot Build(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }
}
