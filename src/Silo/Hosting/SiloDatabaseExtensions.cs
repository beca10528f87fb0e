using ClinicCluster.Persistence.Postgres;
using ClinicCluster.ServiceDefaults;
using Npgsql;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The silo's one PostgreSQL data source, when clustering or storage needs a database.</summary>
internal static class SiloDatabaseExtensions
{
    /// <summary>
    /// Read and validated now, so a bad connection string stops the host before Orleans starts;
    /// null when neither clustering nor storage uses PostgreSQL.
    /// </summary>
    public static NpgsqlDataSource? AddSiloDatabase(this WebApplicationBuilder builder, SiloOptions options)
    {
        if (options.Clustering != ClusteringMode.AdoNet && options.Storage != StorageMode.Postgres)
        {
            return null;
        }

        // One data source, so one pool, for our tables and every Orleans ADO.NET provider.
        return builder.Services.AddPostgresDataSource(builder.Configuration, applicationName: "clinic-silo");
    }
}
