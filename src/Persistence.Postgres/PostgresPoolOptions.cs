using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>
/// The connection budget of one process (section "Postgres", key MaxPoolSize; docs/capacity.md):
/// the largest pool of each PostgreSQL connection string the process uses. Applied to the silo's
/// data source and to the connection string Orleans' ADO.NET providers share (they share one pool:
/// Npgsql pools by connection string), and to the API's. A request beyond it waits for a free
/// connection instead of opening one more, so a burst queues in the process instead of exhausting
/// the server's connection slots.
/// </summary>
public sealed class PostgresPoolOptions
{
    public const string SectionName = "Postgres";

    /// <summary>
    /// Null: <see cref="DefaultMaxPoolSize"/>. One PostgreSQL backend does one statement at a time,
    /// so beyond a few per server core more connections only queue inside the server.
    /// </summary>
    [Range(1, 1000)]
    public int? MaxPoolSize { get; set; }

    /// <summary>Five per core of this process, at least ten.</summary>
    public static int DefaultMaxPoolSize => Math.Max(10, 5 * Environment.ProcessorCount);

    public int EffectiveMaxPoolSize => MaxPoolSize ?? DefaultMaxPoolSize;

    /// <summary>
    /// How many of its most used statements Npgsql prepares on each connection (its Max Auto
    /// Prepare; 0 turns it off). A prepared statement is parsed and planned once per connection
    /// instead of on every call: under a read load the server spent a quarter of its CPU planning
    /// the same few statements. Behind PgBouncer in transaction mode set 0, unless PgBouncer is
    /// 1.21 or later with max_prepared_statements (docs/capacity.md).
    /// </summary>
    [Range(0, 256)]
    public int MaxAutoPrepare { get; set; } = 32;

    /// <summary>Registers the options (validated at start) and answers them bound now, for code that builds connection strings before the host runs.</summary>
    public static PostgresPoolOptions Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresPoolOptions>()
            .Bind(configuration.GetSection(SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Needed now, to build the connection string: the same annotations, the same failure.
        var options = ServiceDefaults.ConfiguredOptions.Read<PostgresPoolOptions>(configuration, SectionName);
        return options;
    }

    /// <summary>
    /// The connection string with this budget as its maximum pool size. A Maximum Pool Size written
    /// in the string itself is kept only when Postgres:MaxPoolSize is not set; a Max Auto Prepare
    /// or No Reset On Close written there wins over this class's choice.
    /// </summary>
    public string ApplyTo(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (MaxPoolSize is { } configured)
        {
            builder.MaxPoolSize = configured;
        }
        else if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!connectionString.Contains("auto prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        // Idle connections go back to the server after a minute (Npgsql's default is five), so a
        // burst does not leave the processes holding slots they no longer use.
        if (!connectionString.Contains("idle lifetime", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionIdleLifetime = 60;
        }

        // A returned connection is not reset: Npgsql's reset is seven statements (RESET ALL, CLOSE
        // ALL, DISCARD TEMP...) sent ahead of the next command of every checkout, about one per
        // booking. Nothing in the product leaves session state on a pooled connection: no SET
        // without LOCAL, LISTEN or temp table; the audit chain's advisory lock is transaction-
        // scoped, and the migrator's session lock is taken on an unpooled connection (docs/capacity.md).
        // Npgsql still rolls back a transaction left open.
        if (!connectionString.Contains("reset on close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
