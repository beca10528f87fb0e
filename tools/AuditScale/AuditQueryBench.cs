using System.Diagnostics;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using Npgsql;

namespace ClinicCluster.AuditScale;

/// <summary>
/// The auditor's two questions against the store's own query (<see cref="PostgresAuditStore.QueryAsync"/>):
/// a patient's disclosures (every page, 1,000 a page, as the disclosures export reads them) and a
/// day's events (the first page of 100 for a random day, as the API's list asks). Latencies in ms.
/// </summary>
public sealed class AuditQueryBench(NpgsqlDataSource dataSource, AuditChainKeys keys)
{
    public async Task<AuditQueryFigures> RunAsync(AuditTrailShape shape, int samples, CancellationToken cancellationToken)
    {
        await AuditTrailStatistics.VacuumAnalyzeAsync(dataSource, cancellationToken);
        var store = new PostgresAuditStore(dataSource, keys);
        var clinics = shape.ClinicIds.ToArray();
        var random = new Random(shape.Seed);
        var patient = new List<double>(samples);
        var day = new List<double>(samples);
        var hot = new List<double>();
        long hotEvents = 0;
        for (var i = 0; i < samples; i++)
        {
            var clinic = clinics[random.Next(clinics.Length)];
            var watch = Stopwatch.StartNew();
            var pages = await AllPagesAsync(store, clinic, new AuditQuery(AuditTrailShape.PatientId(random.Next(shape.Patients)), null, null, null, 0, 1_000));
            patient.Add(watch.Elapsed.TotalMilliseconds);

            var from = new DateTimeOffset(shape.Start.AddDays(random.Next(shape.Days)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            watch.Restart();
            await store.QueryAsync(clinic, new AuditQuery(null, null, from, from.AddDays(1), 0, 100));
            day.Add(watch.Elapsed.TotalMilliseconds);
            cancellationToken.ThrowIfCancellationRequested();
        }

        for (var i = 0; i < Math.Max(3, samples / 20); i++)
        {
            var watch = Stopwatch.StartNew();
            hotEvents = await AllPagesAsync(store, clinics[i % clinics.Length], new AuditQuery(shape.HotPatient, null, null, null, 0, 1_000));
            hot.Add(watch.Elapsed.TotalMilliseconds);
        }

        return new AuditQueryFigures(Summary.Of(patient), Summary.Of(day), Summary.Of(hot), hotEvents);
    }

    private static async Task<long> AllPagesAsync(PostgresAuditStore store, string clinic, AuditQuery query)
    {
        long count = 0;
        for (var page = 0; page < 10_000; page++)
        {
            var records = await store.QueryAsync(clinic, query);
            count += records.Count;
            if (records.Count < query.Limit)
            {
                break;
            }

            query = query with { AfterSequence = records[^1].Sequence };
        }

        return count;
    }
}

/// <summary>Latency summary in milliseconds.</summary>
public sealed record Summary(int Count, double P50, double P99, double Max)
{
    public static Summary Of(List<double> values)
    {
        values.Sort();
        return values.Count == 0
            ? new Summary(0, 0, 0, 0)
            : new Summary(values.Count, values[values.Count / 2], values[Math.Min(values.Count - 1, (int)Math.Ceiling(values.Count * 0.99) - 1)], values[^1]);
    }

    public override string ToString() => FormattableString.Invariant($"n={Count} p50={P50:F1} ms p99={P99:F1} ms max={Max:F1} ms");
}

/// <summary>The measured figures: a random patient's disclosures (all pages), a day's first page, the hot patient's whole export.</summary>
public sealed record AuditQueryFigures(Summary PatientDisclosures, Summary DayEvents, Summary HotPatientExport, long HotPatientEvents);
