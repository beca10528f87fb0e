using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Ledger;

/// <summary>
/// What a bulk seed writes into one clinic's ledger (decision 0056): <see cref="Count"/>
/// appointments of one visit type, the providers' slots spread evenly over <see cref="PastDays"/>
/// days before today (fulfilled, 10 % cancelled, 5 % no-show; spread: see <see cref="LedgerSeedSql"/>) and <see cref="FutureDays"/> days
/// from <see cref="FutureOffsetDays"/> ahead (booked), 20 half-hour visits a provider-day at most.
/// </summary>
public sealed record LedgerSeedShape(
    string ClinicId,
    string TimeZone,
    string AppointmentType,
    IReadOnlyList<string> ProviderIds,
    long Count,
    int PastDays = 1_045,
    int FutureDays = 50,
    int FutureOffsetDays = 130,
    int BatchSize = 50_000)
{
    public const int SlotsPerDay = 20;

    /// <summary>Provider-slots in the span: the most appointments a seed can place.</summary>
    public long Span => (long)(PastDays + FutureDays) * SlotsPerDay * ProviderIds.Count;

    /// <summary>
    /// A step coprime to <see cref="Span"/> near its golden section, so that every prefix of numbers is
    /// spread evenly over the span (a third of it, tried first, put a tenth of a seed into three
    /// clusters and one provider's column).
    /// </summary>
    public long Step
    {
        get
        {
            var step = (long)(Span * 0.6180339887498949) | 1;
            while (Gcd(step, Span) != 1)
            {
                step += 2;
            }

            return step;
        }
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}

/// <summary>
/// Fills the appointment ledger in bulk for the data-scale benchmark (scripts/bench-scale.sh): one
/// INSERT ... SELECT per batch of the ledger's own columns, on the clinic's existing patients. The
/// ledger is the source of truth (decision 0006): appointment and calendar grains load these rows
/// when they activate, and the ledger's webhook trigger sees them like any insert. Not a runtime path.
/// </summary>
public sealed class LedgerSeeder(NpgsqlDataSource dataSource)
{
    public async Task<LedgerSeedReport> SeedAsync(LedgerSeedShape shape, Action<string>? progress, CancellationToken cancellationToken)
    {
        if (shape.ProviderIds.Count == 0 || shape.Count < 0 || shape.Count > shape.Span)
        {
            throw new ArgumentException($"A seed needs providers and 0 to {shape.Span} appointments (the span's provider-slots).", nameof(shape));
        }

        var patients = await PatientsAsync(shape.ClinicId, cancellationToken);
        if (patients.Length < shape.ProviderIds.Count)
        {
            // One slot's visits go to consecutive patients: fewer patients than providers would overlap.
            throw new InvalidOperationException($"The clinic has {patients.Length} patients, fewer than its {shape.ProviderIds.Count} providers.");
        }

        var clock = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(shape.TimeZone)).DateTime);
        long written = 0;
        for (long first = 0; first < shape.Count; first += shape.BatchSize)
        {
            var last = Math.Min(shape.Count, first + shape.BatchSize) - 1;
            await using var command = dataSource.CreateCommand(LedgerSeedSql.InsertRange);
            command.CommandTimeout = 600;
            command.Parameters.AddWithValue("clinic_id", shape.ClinicId);
            command.Parameters.Add(new NpgsqlParameter("providers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = shape.ProviderIds.ToArray() });
            command.Parameters.Add(new NpgsqlParameter("patients", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = patients });
            command.Parameters.AddWithValue("step", shape.Step);
            command.Parameters.AddWithValue("span", shape.Span);
            command.Parameters.AddWithValue("first", first);
            command.Parameters.AddWithValue("last", last);
            command.Parameters.AddWithValue("past_days", shape.PastDays);
            command.Parameters.AddWithValue("future_offset", shape.FutureOffsetDays);
            command.Parameters.AddWithValue("today", today);
            command.Parameters.AddWithValue("time_zone", shape.TimeZone);
            command.Parameters.AddWithValue("appointment_type", shape.AppointmentType);
            written += await command.ExecuteNonQueryAsync(cancellationToken);
            progress?.Invoke(FormattableString.Invariant($"ledger: {last + 1:N0} of {shape.Count:N0} in {clock.Elapsed.TotalSeconds:F0} s"));
        }

        return new LedgerSeedReport(written, patients.Length, clock.Elapsed);
    }

    private async Task<string[]> PatientsAsync(string clinicId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LedgerSeedSql.ClinicPatients);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return [.. ids];
    }
}

/// <summary>Rows a seed inserted (already present ones are not counted), over how many patients, how long.</summary>
public sealed record LedgerSeedReport(long Inserted, int Patients, TimeSpan Elapsed);
