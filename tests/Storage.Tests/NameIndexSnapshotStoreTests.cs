using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Security;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// Name index snapshots on PostgreSQL and a real silo (decision 0060): a large partition writes one
/// when it deactivates, its next activation takes from it exactly the rows that did not change,
/// and a snapshot that cannot be opened costs time, never a wrong answer.
/// </summary>
public sealed class NameIndexSnapshotStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private const int Patients = NameIndexSnapshotPolicy.MinEntries + 100;

    private static readonly string[] Givens = ["Jo", "John", "Joan", "Jon"];

    [Fact]
    public async Task A_partition_reactivates_from_its_snapshot_for_unchanged_rows_and_from_the_rows_for_the_rest()
    {
        var grains = fixture.Silo.Grains;
        var services = fixture.Silo.Services;
        var (keys, store, protector) = (services.GetRequiredService<PatientIndexKeys>(), services.GetRequiredService<IPatientIndexStore>(), services.GetRequiredService<IPhiProtector>());
        var clinicId = TestData.NewId("snap");
        Assert.True((await grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Snapshots"))).IsSuccess);
        await RegisterAsync(clinicId);
        var smiths = keys.Name(clinicId, "smith");
        var field = PhiField.NameIndexSnapshot(clinicId, smiths);

        // A stamp, cut by PostgreSQL, is the stored value's end, and no two encryptions share one.
        var stored = (await store.LoadAsync(smiths)).ToDictionary(e => e.Key, e => PatientIndexStamp.Of(e.Value));
        Assert.Equal(stored, (await store.LoadStampsAsync(smiths)).ToDictionary(e => e.Key, e => e.Stamp));
        Assert.Equal(Patients, stored.Values.Distinct().Count());
        Assert.NotEqual(PatientIndexStamp.Of((await EntryAsync(protector, clinicId, Summary(1))).Value), stored[Id(1)]);

        // Deactivated, the "s" partition leaves a snapshot of all its patients, encrypted.
        var first = await DeactivateAndReadSnapshotAsync(smiths, since: null);
        Assert.Equal(Patients, await fixture.Database.ScalarAsync<int>("SELECT entries FROM orleans.name_index_snapshots WHERE partition_key = @p", ("p", smiths)));
        Assert.StartsWith("phi2:", first.Payload, StringComparison.Ordinal);

        // A snapshot entry that still matches its row is served as the snapshot says: forged here,
        // to see it used. Meanwhile (partition inactive) one row is rewritten, one removed, one added.
        var snapshot = (await protector.UnprotectAsync<NameIndexSnapshotColumns>(first.Payload, field)).ToSnapshot();
        var forged = snapshot with { Entries = [.. snapshot.Entries.Select(e => e.Patient.Id == Id(1) ? e with { Patient = e.Patient with { FamilyName = "Smithforged" } } : e)] };
        await WriteSnapshotAsync(smiths, await protector.ProtectAsync(NameIndexSnapshotColumns.Of(forged), field));
        await store.PutAsync(smiths, await EntryAsync(protector, clinicId, Summary(2) with { FamilyName = "Smithnew" }));
        Assert.True(await store.RemoveAsync(smiths, Id(3), Id(3)));
        await store.PutAsync(smiths, await EntryAsync(protector, clinicId, Summary(Patients + 1)));

        var directory = grains.GetGrain<IPatientDirectoryGrain>(clinicId);
        Assert.Equal([Id(1)], (await directory.SearchByNameAsync("Smithforged", 20)).Select(p => p.Id));
        Assert.Equal([Id(2)], (await directory.SearchByNameAsync("Smithnew", 20)).Select(p => p.Id));
        var all = await directory.SearchByNameAsync("Smith", 5_000);
        Assert.Equal(Patients, all.Count);
        Assert.DoesNotContain(all, p => p.Id == Id(3));
        Assert.Contains(all, p => p.Id == Id(Patients + 1));

        // A snapshot that cannot be opened here (bound to another partition) is skipped: every row
        // is decrypted, so the forged name is gone.
        var second = await DeactivateAndReadSnapshotAsync(smiths, since: first.WrittenAt);
        var johns = keys.Name(clinicId, "jo");
        var other = await fixture.Database.ScalarAsync<string>("SELECT payload FROM orleans.name_index_snapshots WHERE partition_key = @p", ("p", johns));
        Assert.NotEqual(second.Payload, other);
        await WriteSnapshotAsync(smiths, other);
        Assert.Empty(await directory.SearchByNameAsync("Smithforged", 20));
        Assert.Equal("Smith", Assert.Single(await directory.SearchByNameAsync("Smith", 5_000), p => p.Id == Id(1)).FamilyName);
    }

    private async Task RegisterAsync(string clinicId)
    {
        var next = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            for (var i = Interlocked.Increment(ref next); i <= Patients && !deadline.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                var created = await fixture.Silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, Id(i)))
                    .CreateAsync(TestData.Patient($"MRN-{i:D8}") with { GivenName = Givens[i % Givens.Length], FamilyName = "Smith" });
                Assert.True(created.IsSuccess);
            }
        });
        Assert.False(deadline.IsCancellationRequested, "the clinic was not filled in time");
    }

    /// <summary>Deactivates every idle grain and waits for the partition's snapshot written on the way out.</summary>
    private async Task<(string Payload, DateTime WrittenAt)> DeactivateAndReadSnapshotAsync(string partition, DateTime? since)
    {
        await fixture.Silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var rows = await fixture.Database.QueryAsync("SELECT payload, written_at FROM orleans.name_index_snapshots WHERE partition_key = @p",
                r => (r.GetString(0), r.GetDateTime(1)), ("p", partition));
            if (rows.Count == 1 && (since is null || rows[0].Item2 > since))
            {
                return rows[0];
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The partition wrote no snapshot when it deactivated.");
    }

    private Task WriteSnapshotAsync(string partition, string payload) =>
        fixture.Database.ExecuteAsync("UPDATE orleans.name_index_snapshots SET payload = @v WHERE partition_key = @p", ("v", payload), ("p", partition));

    private static async Task<PatientIndexEntry> EntryAsync(IPhiProtector protector, string clinicId, PatientSummary patient) =>
        new(patient.Id, patient.Id, await protector.ProtectAsync(patient, PhiField.NameIndexEntry(clinicId, patient.Id)));

    private static PatientSummary Summary(int i) => new(Id(i), $"MRN-{i:D8}", Givens[i % Givens.Length], "Smith", new DateOnly(1980, 5, 17));

    private static string Id(int i) => $"pat-{i:D6}";
}
