using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres.Patients;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The patient index at scale on PostgreSQL (decision 0030): a registration writes the same rows and
/// bytes into a clinic of thousands of similar names as into an empty one, and the entry table, not
/// the grains, keeps an MRN unique even if a registry partition were active on two silos at once.
/// </summary>
public sealed class PatientIndexScaleTests : IClassFixture<StorageFixture>
{
    // The CI size; the 100,000-patient run is tools/LoadGen (docs/capacity.md), outside CI.
    private const int Patients = 2_000;

    private static readonly string[] Families = ["Smith", "Smyth", "Smithe", "Smithson", "Schmidt", "Smitt"];
    private static readonly string[] Givens = ["Jo", "John", "Joan", "Jon", "Johanna", "Joe"];

    private readonly StorageFixture _fixture;

    public PatientIndexScaleTests(StorageFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Registering_into_a_clinic_of_thousands_of_similar_names_writes_what_the_first_registration_writes()
    {
        var clinicId = TestData.NewId("scale");
        var grains = _fixture.Silo.Grains;
        Assert.True((await grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Scale"))).IsSuccess);

        var first = await RegisterMeasuredAsync(clinicId, "first");

        // Thousands of patients whose names share the measured patient's index partitions.
        var next = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Parallel.ForEachAsync(Enumerable.Range(0, 16), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
        {
            for (var i = Interlocked.Increment(ref next); i <= Patients && !deadline.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                var created = await grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, $"pat-{i:D6}"))
                    .CreateAsync(TestData.Patient($"MRN-{i:D8}") with { GivenName = Givens[i % Givens.Length], FamilyName = Families[i / Givens.Length % Families.Length] });
                Assert.True(created.IsSuccess);
            }
        });
        Assert.False(deadline.IsCancellationRequested, "the clinic was not filled in time");

        var last = await RegisterMeasuredAsync(clinicId, "final");

        // Same rows (patient state, MRN entry, one name entry per partition) and the same bytes,
        // give or take the encoding: before 0030 the last one rewrote every Smith of the clinic.
        Assert.Equal(first.Rows, last.Rows);
        Assert.InRange(last.Bytes, first.Bytes * 0.9, first.Bytes * 1.1);

        // Four rows (record, MRN entry, two name entries: "johnny" and "smithers" hash to two
        // partitions) in two durable commits, at the first registration as at the last.
        Assert.Equal(4, first.Rows);
        Assert.Equal(2, first.Transactions);
        Assert.Equal(2, last.Transactions);
        Assert.Equal(0L, await _fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans.grain_state WHERE grain_type IN ('mrns', 'names') AND payload IS NOT NULL AND grain_id_ext LIKE @c || '/%'", ("c", clinicId)));

        // And the name search still answers in order, the first 20 only.
        var hits = await grains.GetGrain<IPatientDirectoryGrain>(clinicId).SearchByNameAsync("Smith", 20);
        Assert.Equal(20, hits.Count);
        Assert.Equal(hits.OrderBy(h => NameTokens.SortKey(h.FamilyName), StringComparer.Ordinal).ThenBy(h => NameTokens.SortKey(h.GivenName), StringComparer.Ordinal)
            .ThenBy(h => h.Id, StringComparer.Ordinal).Select(h => h.Id), hits.Select(h => h.Id));
    }

    [Fact]
    public async Task Claims_of_one_mrn_through_two_silos_connections_admit_exactly_one_owner()
    {
        // Two stores on two pools: what two activations of one registry partition would do.
        await using var a = NpgsqlDataSource.Create(_fixture.Database.App);
        await using var b = NpgsqlDataSource.Create(_fixture.Database.App);
        var stores = new[] { new PostgresPatientIndexStore(a), new PostgresPatientIndexStore(b) };
        var partition = $"{TestData.NewId("race")}/mrn/7";

        var owners = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            stores[i % 2].PutAsync(partition, new PatientIndexEntry("blind-index-of-the-mrn", $"pat-{i}", $"value-{i}"))));

        var winner = Assert.Single(owners.Distinct());
        Assert.Equal(winner, (await stores[0].GetAsync(partition, "blind-index-of-the-mrn"))!.Owner);
        Assert.Equal($"value-{winner[4..]}", (await stores[1].GetAsync(partition, "blind-index-of-the-mrn"))!.Value);

        // Only the owner may rewrite or release it; after the release the next claimant gets it.
        var loser = winner == "pat-0" ? "pat-1" : "pat-0";
        Assert.False(await stores[0].RemoveAsync(partition, "blind-index-of-the-mrn", loser));
        Assert.Equal(winner, await stores[1].PutAsync(partition, new PatientIndexEntry("blind-index-of-the-mrn", winner, "renamed")));
        Assert.True(await stores[1].RemoveAsync(partition, "blind-index-of-the-mrn", winner));
        Assert.Equal(loser, await stores[0].PutAsync(partition, new PatientIndexEntry("blind-index-of-the-mrn", loser, "v")));
    }

    [Fact]
    public async Task Name_entries_written_with_a_claim_are_stored_only_when_the_claim_is_won()
    {
        await using var source = NpgsqlDataSource.Create(_fixture.Database.App);
        var store = new PostgresPatientIndexStore(source);
        var clinic = TestData.NewId("claim");
        var registry = $"{clinic}/mrn/3";
        PartitionedIndexEntry[] Names(string owner) =>
            [new($"{clinic}/name/a", new PatientIndexEntry(owner, owner, "n")), new($"{clinic}/name/b", new PatientIndexEntry(owner, owner, "n"))];

        Assert.Equal("pat-a", await store.PutAsync(registry, new PatientIndexEntry("mrn-blind-index", "pat-a", "m"), Names("pat-a")));
        Assert.Equal("pat-a", await store.PutAsync(registry, new PatientIndexEntry("mrn-blind-index", "pat-b", "m"), Names("pat-b")));

        // The loser's names were not written; the winner's are, in both partitions.
        Assert.Null(await store.GetAsync($"{clinic}/name/a", "pat-b"));
        Assert.Null(await store.GetAsync($"{clinic}/name/b", "pat-b"));
        Assert.Equal("pat-a", (await store.GetAsync($"{clinic}/name/b", "pat-a"))!.Owner);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.PutAsync(registry, new PatientIndexEntry("mrn-blind-index", "pat-a", "m"), Names("pat-b")));
    }

    /// <summary>Registers one patient and measures the rows and payload bytes its registration wrote.</summary>
    private async Task<(long Rows, double Bytes, long Transactions)> RegisterMeasuredAsync(string clinicId, string tag)
    {
        var since = await _fixture.Database.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        var created = await _fixture.Silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, $"pat-{tag}"))
            .CreateAsync(TestData.Patient($"MRN-{tag}-0001") with { GivenName = "Johnny", FamilyName = "Smithers" });
        Assert.True(created.IsSuccess);
        var rows = await _fixture.Database.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM orleans.grain_state WHERE grain_id_ext LIKE @c || '/%' AND modified_at >= @since)
                 + (SELECT count(*) FROM orleans.patient_index_entries WHERE partition_key LIKE @c || '/%' AND modified_at >= @since)
            """, ("c", clinicId), ("since", since));
        var bytes = await _fixture.Database.ScalarAsync<long>("""
            SELECT (SELECT coalesce(sum(octet_length(payload::text)), 0)::bigint FROM orleans.grain_state WHERE grain_id_ext LIKE @c || '/%' AND modified_at >= @since)
                 + (SELECT coalesce(sum(octet_length(payload)), 0)::bigint FROM orleans.patient_index_entries WHERE partition_key LIKE @c || '/%' AND modified_at >= @since)
            """, ("c", clinicId), ("since", since));
        // Rows written by one transaction share its xmin: the record is one, the MRN claim and the
        // name entries another (decision 0048; before, the claim and each name entry were one each).
        var transactions = await _fixture.Database.ScalarAsync<long>("""
            SELECT count(DISTINCT x) FROM (
                SELECT xmin::text AS x FROM orleans.grain_state WHERE grain_id_ext LIKE @c || '/%' AND modified_at >= @since
                UNION ALL SELECT xmin::text FROM orleans.patient_index_entries WHERE partition_key LIKE @c || '/%' AND modified_at >= @since) w
            """, ("c", clinicId), ("since", since));
        return (rows, bytes, transactions);
    }
}
