using ClinicCluster.Audit;
using ClinicCluster.AuditScale;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Security;
using Npgsql;
using Xunit.Abstractions;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The CI size of tools/AuditScale (decision 0042): 50,000 generated events in one month of one
/// clinic, written through the store's append, verify as a keyed chain; the auditor's two queries
/// (a patient's disclosures, a day's events) are planned on indexes, never a sequential scan of the
/// month, and answer exactly what the generator wrote. The millions-of-rows run is the tool's.
/// </summary>
public sealed class AuditScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly AuditTrailShape Shape = new(1, 50_000, 20_000, 50, new DateOnly(2026, 1, 1), 31, 400, ClinicPrefix: "ci");

    private readonly TestDatabase _database = new("clinic_audit_scale");
    private readonly AuditChainKeys _keys = new(KeyRing.Ephemeral("scale-chain"));

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Fifty_thousand_generated_events_verify_and_the_auditors_queries_use_indexes()
    {
        await using var owner = NpgsqlDataSource.Create(_database.Owner);
        var load = await new AuditTrailLoader(owner, _keys).LoadAsync(Shape, 1, null, CancellationToken.None);
        Assert.Equal(50_000, load.Rows);
        output.WriteLine($"load: {load.Rows} rows in {load.Elapsed.TotalSeconds:F1} s ({load.RowsPerSecond:F0} rows/s)");
        await AuditTrailStatistics.VacuumAnalyzeAsync(owner, CancellationToken.None);

        var clinic = Shape.ClinicIds.Single();
        var patient = new AuditQuery(AuditTrailShape.PatientId(15_000), null, null, null, 0, 1_000);
        var from = new DateTimeOffset(2026, 1, 27, 0, 0, 0, TimeSpan.Zero);
        var day = new AuditQuery(null, null, from, from.AddDays(1), 0, 100);
        foreach (var query in new[] { patient, day })
        {
            var plan = await ExplainAsync(owner, clinic, query);
            output.WriteLine(plan);
            Assert.DoesNotContain("Seq Scan on events_2026_01", plan, StringComparison.Ordinal);
        }

        // Answers: the hot patient's every event (named or disclosed), and a full first page of the day in sequence order.
        var figures = await new AuditQueryBench(owner, _keys).RunAsync(Shape, 20, CancellationToken.None);
        output.WriteLine($"disclosures {figures.PatientDisclosures}; day {figures.DayEvents}; hot export {figures.HotPatientExport}");
        Assert.Equal(Shape.HotPatientEvents, figures.HotPatientEvents);
        var store = new PostgresAuditStore(owner, _keys);
        var page = await store.QueryAsync(clinic, day);
        Assert.Equal(100, page.Count);
        Assert.All(page, r => Assert.InRange(r.Event.RecordedAt, from, from.AddDays(1)));
        Assert.Equal(page.Select(r => r.Sequence).Order(), page.Select(r => r.Sequence));
        var next = await store.QueryAsync(clinic, day with { AfterSequence = page[^1].Sequence });
        Assert.True(next[0].Sequence > page[^1].Sequence);

        var verified = await new AuditChainVerifier(owner, _keys).VerifyAsync(clinic, CancellationToken.None);
        Assert.True(verified.IsIntact, verified.Problem);
        Assert.Equal(50_000, verified.VerifiedRecords);
        var storage = await AuditTrailStatistics.StorageAsync(owner, CancellationToken.None);
        output.WriteLine($"storage: {storage.TotalBytes} bytes for {storage.Events} events, {storage.BytesPerEvent:F0} bytes/event");
        Assert.Equal(50_000, storage.Events);
    }

    private static async Task<string> ExplainAsync(NpgsqlDataSource dataSource, string clinic, AuditQuery query)
    {
        await using var command = dataSource.CreateCommand("EXPLAIN " + AuditSql.Query(query));
        AuditSql.BindQuery(command.Parameters, clinic, query);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
