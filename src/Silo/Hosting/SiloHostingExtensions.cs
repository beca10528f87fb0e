using System.ComponentModel.DataAnnotations;
using System.Net;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Persistence.Postgres.GrainStorage;
using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Management;
using ClinicCluster.Silo.Dashboard;
using ClinicCluster.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Hosting;

/// <summary>Turns configuration into a silo: clustering, storage, reminders, dashboard, health and shutdown.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Set by the Kubernetes downward API; both present means we run in a pod.</summary>
    private const string PodNameVariable = "POD_NAME";
    private const string PodIPVariable = "POD_IP";

    public static WebApplicationBuilder AddClinicSilo(this WebApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration);
        var pod = ReadPod(builder.Configuration, options);

        // Read and validated now, so a bad connection string stops the host before Orleans starts.
        NpgsqlDataSource? postgres = null;
        if (options.Clustering == ClusteringMode.AdoNet || options.Storage == StorageMode.Postgres)
        {
            // One data source, so one pool, for our tables and every Orleans ADO.NET provider.
            postgres = builder.Services.AddPostgresDataSource(builder.Configuration, applicationName: "clinic-silo");
        }

        // A random in-process key with durable storage would leave every patient unreadable, and the
        // audit chain unverifiable, after a restart.
        foreach (var setting in new[] { SecurityServiceCollectionExtensions.KeyRingSetting, AuditChainOptions.ChainKeySetting })
        {
            if (options.Storage != StorageMode.Memory && string.IsNullOrWhiteSpace(builder.Configuration[setting]))
            {
                throw new OptionsValidationException(setting, typeof(EncryptionOptions),
                    [$"{setting} is required with Silo:Storage={options.Storage} (see docs/security.md)."]);
            }
        }

        // Mutual TLS on the silo and gateway ports; loaded now so a bad certificate stops the host in one line.
        var clusterTls = ClusterTls.Load(builder.Configuration, reachableFromOtherMachines: options.Clustering != ClusteringMode.Localhost);
        if (clusterTls is not null)
        {
            // Renewed certificates and a rolled CA are picked up without a restart (decision record 0029).
            builder.Services.AddClusterTlsReload(clusterTls);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        if (options.Storage == StorageMode.Postgres)
        {
            // Registered before the grain services, whose in-memory defaults are TryAdd.
            builder.Services.AddPostgresDataServices();
            if (!string.IsNullOrWhiteSpace(builder.Configuration["Audit:CheckpointDirectory"]))
            {
                builder.Services.AddSingleton<AuditCheckpointWriter>();
                builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointWriter>());
            }
        }

        builder.Services.AddClinicGrainServices(builder.Configuration);

        // Membership probing (how fast a dead silo is declared dead), e.g. Silo:Membership:ProbeTimeout.
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection($"{SiloOptions.SectionName}:Membership"));
        builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [ServiceDefaultsExtensions.ReadyTag]);
        if (options.Clustering == ClusteringMode.Localhost && options.Storage == StorageMode.Memory)
        {
            // The embedded default: one developer machine, nothing stored; probes, metrics and the
            // dashboard need no credentials. Any other configuration must mount them.
            builder.AllowAnonymousManagement();
        }

        AddTelemetry(builder, options);

        builder.UseOrleans(silo =>
        {
            // A database failure a grain did not handle reaches the caller as StorageUnavailableException.
            silo.AddIncomingGrainCallFilter<StorageFailureCallFilter>();
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);

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

            switch (options.Storage)
            {
                case StorageMode.Memory:
                    silo.AddMemoryGrainStorage(StorageNames.Clinics);
                    silo.AddMemoryGrainStorage(StorageNames.Patients);
                    silo.AddMemoryGrainStorage(StorageNames.Scheduling);
                    silo.UseInMemoryReminderService();
                    silo.AddMemoryAuditStreams();
                    break;
                case StorageMode.Postgres:
                    AddPostgresStorage(silo, postgres!);
                    silo.AddPostgresAuditStreams(postgres!);
                    break;
                default:
                    throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions),
                        [$"Silo:Storage '{options.Storage}' is not supported by this build."]);
            }

            if (clusterTls is not null)
            {
                silo.UseTls(clusterTls.Configure);
            }

            silo.AddActivityPropagation();
            silo.Services.AddGrainInterfaceTypeCache();
            silo.AddIncomingGrainCallFilter<ClinicSpanFilter>();
            silo.AddOperatorDashboard(builder);
        });

        return builder;
    }

    /// <summary>The silo's own metrics; the database-backed gauges only where there is a database.</summary>
    private static void AddTelemetry(WebApplicationBuilder builder, SiloOptions options)
    {
        builder.Services.AddOptions<SiloTelemetryOptions>()
            .Bind(builder.Configuration.GetSection(SiloTelemetryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<MembershipMetrics>();
        if (options.Storage == StorageMode.Postgres)
        {
            builder.Services.AddHostedService<ActiveAppointmentsGauge>();
            builder.Services.AddHostedService<AuditBacklogGauge>();
        }
    }

    /// <summary>Binds and validates <see cref="SiloOptions"/>; a bad value stops the host with its setting's name.</summary>
    internal static SiloOptions ReadOptions(IConfiguration configuration)
    {
        var options = new SiloOptions();
        configuration.GetSection(SiloOptions.SectionName).Bind(options);

        // The names the Kubernetes manifests (and Orleans' own Kubernetes hosting) use.
        if (configuration["ORLEANS_CLUSTER_ID"] is { Length: > 0 } clusterId)
        {
            options.ClusterId = clusterId;
        }

        if (configuration["ORLEANS_SERVICE_ID"] is { Length: > 0 } serviceId)
        {
            options.ServiceId = serviceId;
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions),
                results.Select(r => $"Silo:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        return options;
    }

    /// <summary>The pod's IP when running in Kubernetes with AdoNet clustering, else null.</summary>
    private static IPAddress? ReadPod(IConfiguration configuration, SiloOptions options)
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

    /// <summary>Grain state as JSON in PostgreSQL for every storage name the grains use, and durable reminders.</summary>
    private static void AddPostgresStorage(ISiloBuilder silo, NpgsqlDataSource dataSource)
    {
        var serializer = new SystemTextJsonGrainStorageSerializer();
        foreach (var name in new[] { StorageNames.Clinics, StorageNames.Patients, StorageNames.Scheduling })
        {
            silo.AddAdoNetGrainStorage(name, o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.DataSource = dataSource;
                o.GrainStorageSerializer = serializer;
            });
        }

        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresSchema.Invariant;
            o.DataSource = dataSource;
        });
    }
}
