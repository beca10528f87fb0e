using System.Net;
using ClinicCluster.Persistence.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Hosting;

/// <summary>How the silo finds the others: localhost (one machine) or membership in PostgreSQL, and the addresses it advertises.</summary>
internal static class ClusteringExtensions
{
    /// <summary>Set by the Kubernetes downward API; both present means we run in a pod.</summary>
    private const string PodNameVariable = "POD_NAME";
    private const string PodIPVariable = "POD_IP";

    /// <summary>
    /// Membership probing (how fast a dead silo is declared dead), section Silo:Membership, bound
    /// and validated like every other section and copied into Orleans' ClusterMembershipOptions.
    /// </summary>
    public static WebApplicationBuilder AddSiloMembership(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloMembershipOptions>()
            .BindConfiguration(SiloMembershipOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloMembershipOptions>, SiloMembershipOptionsValidator>();
        builder.Services.AddOptions<ClusterMembershipOptions>()
            .Configure<IOptions<SiloMembershipOptions>>((orleans, ours) => ours.Value.ApplyTo(orleans));
        return builder;
    }

    public static ISiloBuilder AddClinicClustering(this ISiloBuilder silo, SiloOptions options, IPAddress? pod, NpgsqlDataSource? postgres)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        silo.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = options.OpenConnectionTimeout);

        switch (options.Clustering)
        {
            case ClusteringMode.Localhost:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                break;
            case ClusteringMode.AdoNet:
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresSchema.Invariant;
                    o.DataSource = postgres;
                });
                ConfigureEndpoints(silo, options, pod);
                if (pod is not null)
                {
                    // Silo name from the pod, and the agent that evicts silos whose pods are gone.
                    silo.UseKubernetesHosting();
                }

                break;
            default:
                throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions),
                    [$"Silo:Clustering '{options.Clustering}' is not supported by this build."]);
        }

        return silo;
    }

    /// <summary>The pod's IP when running in Kubernetes with AdoNet clustering, else null.</summary>
    public static IPAddress? ReadPod(IConfiguration configuration, SiloOptions options)
    {
        var name = configuration[PodNameVariable];
        var ip = configuration[PodIPVariable];
        if (options.Clustering != ClusteringMode.AdoNet || string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(ip))
        {
            return null;
        }

        return IPAddress.TryParse(ip, out var address)
            ? address
            : throw new OptionsValidationException(PodIPVariable, typeof(SiloOptions), [$"{PodIPVariable} '{ip}' is not an IP address."]);
    }

    /// <summary>
    /// Listens on every address; advertises Silo:AdvertisedIPAddress if set, else the pod IP, else
    /// loopback (all silos on this machine, as in development and the tests).
    /// </summary>
    private static void ConfigureEndpoints(ISiloBuilder silo, SiloOptions options, IPAddress? pod)
    {
        var advertised = !string.IsNullOrWhiteSpace(options.AdvertisedIPAddress)
            ? IPAddress.Parse(options.AdvertisedIPAddress)
            : pod ?? IPAddress.Loopback;
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = advertised;
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, options.GatewayPort);
        });
    }
}
