namespace ClinicCluster.Api.Cluster;

/// <summary>Registers the demo seeder; it does nothing unless Demo:Seed is on in Development.</summary>
public static class DemoSeedExtensions
{
    public static WebApplicationBuilder AddDemoSeed(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateOnStart();
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}
