using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>On PostgreSQL, a patient's query finds the searches and lists that disclosed the patient, and the chain covers the ids.</summary>
[Collection(StorageCollection.Name)]
public sealed class AuditDisclosureStoreTests(StorageFixture fixture)
{
    [Fact]
    public async Task A_patient_query_finds_every_event_that_disclosed_the_patient()
    {
        var clinic = TestData.NewId("aud");
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var search = Event(clinic, null, ["pat-a", "pat-b"]);
        Assert.True(await store.AppendAsync(Event(clinic, "pat-a", null)));
        Assert.True(await store.AppendAsync(search));
        Assert.True(await store.AppendAsync(Event(clinic, "pat-c", null)));

        var forB = await store.QueryAsync(clinic, new AuditQuery("pat-b", null, null, null, 0, 100));
        var forA = await store.QueryAsync(clinic, new AuditQuery("pat-a", null, null, null, 0, 100));

        Assert.Equal([search.EventId], forB.Select(r => r.Event.EventId));
        Assert.Equal(["pat-a", "pat-b"], forB[0].Event.DisclosedPatientIds!);
        Assert.Equal(2, forA.Count);
        Assert.True((await new AuditChainVerifier(dataSource, TestKeyRings.ChainKeys).VerifyAsync(clinic, CancellationToken.None)).IsIntact);

        // The ids are part of the chained content: removing one breaks the chain.
        await using var connection = new NpgsqlConnection(fixture.Database.Superuser);
        await connection.OpenAsync();
        await using var edit = new NpgsqlCommand(
            $"SET session_replication_role = replica; UPDATE audit.events SET disclosed_patient_ids = ARRAY['pat-a'] WHERE event_id = '{search.EventId}'",
            connection);
        await edit.ExecuteNonQueryAsync();
        Assert.Equal(2, (await new AuditChainVerifier(dataSource, TestKeyRings.ChainKeys).VerifyAsync(clinic, CancellationToken.None)).BrokenAt);
    }

    private static AuditEvent Event(string clinic, string? patientId, string[]? disclosed) => new(
        Guid.CreateVersion7(), DateTimeOffset.UtcNow, clinic, patientId is null ? AuditAction.Search : AuditAction.Read, AuditOutcome.Success,
        new AuditActor("tester", "clinician", "127.0.0.1", "tests"), patientId, "Patient", patientId, patientId is null ? "SearchPatients" : "GetPatient",
        200, "TREAT", null, patientId is null ? "name" : null, disclosed?.Length, disclosed);
}
