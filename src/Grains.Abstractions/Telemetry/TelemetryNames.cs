namespace ClinicCluster.Telemetry;

/// <summary>
/// Every meter and activity source name, in one place: a meter created under a name
/// that is not exported by the hosts' AddMeter list (ServiceDefaults' TelemetryExtensions) is never
/// collected. docs/operations/observability.md lists what each holds. Here, in the project every
/// host and the grains reference, so no meter name is written as a literal anywhere else.
/// </summary>
public static class TelemetryNames
{
    /// <summary>Audit trail: enqueue duration (API), appends and consumer lag (AuditLogGrain), backlog and dead letters (silo).</summary>
    public const string AuditMeter = "ClinicCluster.Audit";

    /// <summary>The API's own: public requests, bookings by outcome.</summary>
    public const string ApiMeter = "ClinicCluster.Api";

    /// <summary>The API's denials and rate-limit refusals (docs/security.md).</summary>
    public const string ApiSecurityMeter = "ClinicCluster.Api.Security";

    /// <summary>The silo's own: cluster membership, active appointments per clinic.</summary>
    public const string SiloMeter = "ClinicCluster.Silo";

    /// <summary>Ledger reconciliation results (the booking work's meter).</summary>
    public const string SchedulingMeter = "ClinicCluster.Scheduling";

    /// <summary>Orleans runtime: activations, grain counts, messaging, storage latency, gateway.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Npgsql's own meter: pool usage and limits, command duration and failures.</summary>
    public const string NpgsqlMeter = "Npgsql";

    /// <summary>
    /// Every meter above: what both hosts export (AddMeter in ServiceDefaults' TelemetryExtensions).
    /// A new meter goes here too; Observability.Tests checks that none is left out.
    /// </summary>
    public static IReadOnlyList<string> ExportedMeters { get; } =
        [AuditMeter, ApiMeter, ApiSecurityMeter, SiloMeter, SchedulingMeter, OrleansMeter, NpgsqlMeter];

    /// <summary>Grain calls made by application code (client and server side of each call).</summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>Grain state reads and writes.</summary>
    public const string OrleansStorageSource = "Microsoft.Orleans.Storage";

    /// <summary>One span per database command (the SQL text, never parameter values).</summary>
    public const string NpgsqlSource = "Npgsql";

    /// <summary>The span attribute that carries the clinic a request or grain call is about.</summary>
    public const string ClinicIdAttribute = "clinic.id";
}
