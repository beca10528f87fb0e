using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Telemetry;

/// <summary>
/// <c>clinic.appointments.active</c> (meter ClinicCluster.Silo): booked and checked-in appointments
/// per clinic, counted in the ledger. The clinic id label is bounded by the number of clinics (a
/// deployment has tens, not millions) and is no PHI; patient or provider ids never become labels.
/// </summary>
internal sealed class ActiveAppointmentsGauge : IHostedService, IDisposable
{
    private const string CountSql = """
        SELECT clinic_id, count(*) FROM scheduling.appointment_ledger
        WHERE status IN ('booked', 'checked-in') GROUP BY clinic_id
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly CachedReading<IReadOnlyList<(string Clinic, long Count)>> _reading;

    public ActiveAppointmentsGauge(
        NpgsqlDataSource dataSource, IOptions<DatabaseGaugeOptions> options, IMeterFactory meters, ILogger<ActiveAppointmentsGauge> logger)
    {
        _dataSource = dataSource;
        _reading = new(ReadAsync, options.Value.DatabaseGaugeInterval, logger, "the active appointments");
        var meter = meters.Create(TelemetryNames.SiloMeter);
        meter.CreateObservableGauge("clinic.appointments.active", Observe, "{appointment}",
            "Booked and checked-in appointments per clinic, from the appointment ledger.");
    }

    // A hosted service only so it exists from the start; the reading runs when a collector asks.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        // The meter belongs to the meter factory, which disposes it with the host.
        _reading.Dispose();
    }

    private IEnumerable<Measurement<long>> Observe() =>
        _reading.Current?.Select(row => new Measurement<long>(row.Count, new KeyValuePair<string, object?>("clinic_id", row.Clinic))) ?? [];

    private async Task<IReadOnlyList<(string Clinic, long Count)>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(CountSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
