using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The auditor's queries on PostgreSQL (migration 0480, decision 0057) answer exactly what a scan of
/// the trail would: a patient's events come from audit.event_patients, a time window from the
/// hours' sequence marks, and events recorded out of order (a late delivery, a clock step) are
/// neither lost nor repeated across pages.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AuditQueryStoreTests(StorageFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_patient_query_pages_through_named_and_disclosed_events_once_each_in_sequence_order()
    {
        var clinic = TestData.NewId("aq");
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var random = new Random(7);
        var events = Enumerable.Range(0, 60).Select(i => (i % 4) switch
        {
            0 => Event(clinic, "pat-a", null, Noon.AddMinutes(random.Next(-300, 300)), "alice"),
            1 => Event(clinic, null, ["pat-b", "pat-a"], Noon.AddMinutes(random.Next(-300, 300)), "bob"),
            2 => Event(clinic, "pat-a", ["pat-a", "pat-c"], Noon.AddMinutes(random.Next(-300, 300)), "alice"),
            _ => Event(clinic, "pat-c", null, Noon.AddMinutes(random.Next(-300, 300)), "bob"),
        }).ToList();
        var records = await store.AppendBatchAsync(events);

        foreach (var query in new[]
        {
            new AuditQuery("pat-a", null, null, null, 0, 7),
            new AuditQuery("pat-a", "alice", null, null, 0, 4),
            new AuditQuery("pat-c", null, Noon.AddHours(-1), Noon.AddHours(2), 0, 5),
            new AuditQuery("pat-none", null, null, null, 0, 5),
        })
        {
            var expected = records.Where(r => Matches(r, query)).Select(r => r.Sequence).ToList();
            Assert.Equal(expected, await AllPagesAsync(store, clinic, query));
        }
    }

    [Fact]
    public async Task An_index_row_whose_event_does_not_name_the_patient_is_skipped_and_the_pages_still_fill()
    {
        var clinic = TestData.NewId("aq");
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var records = await store.AppendBatchAsync(
            [.. Enumerable.Range(0, 30).Select(i => Event(clinic, i % 3 == 0 ? "pat-x" : "pat-y", null, Noon.AddMinutes(i), "alice"))]);

        // What a 64-bit key collision would leave: pat-y's events under pat-x's key (only the owner may write there).
        await using var owner = NpgsqlDataSource.Create(fixture.Database.Owner);
        await using var forge = owner.CreateCommand("""
            INSERT INTO audit.event_patients (patient_key, sequence, recorded_at)
            SELECT audit.patient_key(clinic_id, 'pat-x'), sequence, recorded_at FROM audit.events WHERE clinic_id = $1 AND patient_id = 'pat-y'
            """);
        forge.Parameters.AddWithValue(clinic);
        Assert.Equal(20, await forge.ExecuteNonQueryAsync());

        var query = new AuditQuery("pat-x", null, null, null, 0, 3);
        var first = await store.QueryAsync(clinic, query);
        Assert.Equal(3, first.Count);
        Assert.All(first, r => Assert.Equal("pat-x", r.Event.PatientId));
        Assert.Equal(records.Where(r => r.Event.PatientId == "pat-x").Select(r => r.Sequence), await AllPagesAsync(store, clinic, query));
    }

    [Fact]
    public async Task A_time_window_pages_in_sequence_order_and_keeps_events_recorded_late_or_early()
    {
        var clinic = TestData.NewId("aq");
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var random = new Random(11);
        var records = new List<AuditRecord>();
        for (var batch = 0; batch < 12; batch++)
        {
            // Mostly in time order, hour by hour; one in eight recorded hours before or after its batch.
            var at = Noon.AddHours(batch - 6);
            var events = Enumerable.Range(0, 25).Select(i => Event(
                clinic, $"pat-{i % 5}", null,
                random.Next(8) == 0 ? at.AddHours(random.Next(-5, 5)) : at.AddMinutes(random.Next(60)),
                i % 2 == 0 ? "alice" : "bob")).ToList();
            records.AddRange(await store.AppendBatchAsync(events));
        }

        foreach (var query in new[]
        {
            new AuditQuery(null, null, Noon.AddMinutes(-90), Noon.AddMinutes(30), 0, 9),
            new AuditQuery(null, null, Noon.AddHours(-3), Noon.AddHours(-3), 0, 9),
            new AuditQuery(null, "bob", Noon.AddHours(-2), null, 0, 11),
            new AuditQuery(null, null, null, Noon.AddHours(-4).AddSeconds(1), 0, 10),
            new AuditQuery(null, null, Noon.AddDays(3), Noon.AddDays(4), 0, 10),
        })
        {
            var expected = records.Where(r => Matches(r, query)).Select(r => r.Sequence).ToList();
            Assert.Equal(expected, await AllPagesAsync(store, clinic, query));
        }
    }

    private static bool Matches(AuditRecord record, AuditQuery query)
    {
        var e = record.Event;
        var patient = query.PatientId is null || e.PatientId == query.PatientId || (e.DisclosedPatientIds?.Contains(query.PatientId) ?? false);
        return patient
            && (query.ActorSubject is null || e.Actor.Subject == query.ActorSubject)
            && (query.From is null || e.RecordedAt >= query.From)
            && (query.To is null || e.RecordedAt < query.To);
    }

    private static async Task<List<long>> AllPagesAsync(PostgresAuditStore store, string clinic, AuditQuery query)
    {
        var sequences = new List<long>();
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await store.QueryAsync(clinic, query);
            sequences.AddRange(page.Select(r => r.Sequence));
            if (page.Count < query.Limit)
            {
                return sequences;
            }

            query = query with { AfterSequence = page[^1].Sequence };
        }

        throw new InvalidOperationException("more than 100 pages");
    }

    private static AuditEvent Event(string clinic, string? patientId, string[]? disclosed, DateTimeOffset at, string actor) => new(
        Guid.CreateVersion7(), at, clinic, patientId is null ? AuditAction.Search : AuditAction.Read, AuditOutcome.Success,
        new AuditActor(actor, "clinician", "127.0.0.1", "tests"), patientId, "Patient", patientId, patientId is null ? "SearchPatients" : "GetPatient",
        200, "TREAT", null, patientId is null ? "name" : null, disclosed?.Length, disclosed);
}
