using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Persistence.Postgres.GrainStorage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Silo.Hosting;

/// <summary>Where grain state, reminders and the audit stream live: memory (development) or PostgreSQL.</summary>
internal static class GrainStorageExtensions
{
    /// <summary>Our own PostgreSQL services (ledger, audit store, patient index), registered before the grain services, whose in-memory defaults are TryAdd.</summary>
    public static WebApplicationBuilder AddSiloDataServices(this WebApplicationBuilder builder, SiloOptions options, AuditChainOptions auditChain)
    {
        if (options.Storage == StorageMode.Postgres)
        {
            builder.Services.AddPostgresDataServices();
            if (!string.IsNullOrWhiteSpace(auditChain.CheckpointDirectory))
            {
                builder.Services.AddSingleton<AuditCheckpointWriter>();
                builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointWriter>());
            }
        }

        return builder;
    }

    /// <summary>Grain storage for every storage name, reminders and the audit stream provider, by <see cref="SiloOptions.Storage"/>.</summary>
    public static ISiloBuilder AddClinicStorage(this ISiloBuilder silo, SiloOptions options, NpgsqlDataSource? postgres)
    {
        // A database failure a grain did not handle reaches the caller as StorageUnavailableException.
        silo.AddIncomingGrainCallFilter<StorageFailureCallFilter>();
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

        return silo;
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
