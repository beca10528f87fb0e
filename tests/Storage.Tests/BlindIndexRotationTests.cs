using System.Text.Json;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Security;
using ClinicCluster.Silo.Commands;
using ClinicCluster.Silo.Encryption;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// Blind-index key rotation end to end on PostgreSQL: silos restarted with a new active index key
/// (the old one still in the ring) keep finding every patient, by MRN and by name, and keep MRNs
/// unique across both keys; <c>encryption reindex</c> moves the entries in batches; then silos
/// with the old key retired still find everyone.
/// </summary>
public sealed class BlindIndexRotationTests : IAsyncLifetime
{
    private static readonly string OriginalIndexKey = KeyRing.NewKeyBase64();
    private static readonly string NewIndexKey = KeyRing.NewKeyBase64();

    private readonly TestDatabase _database = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("clinic-index-keys-").FullName;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Lookups_work_before_during_and_after_a_reindex_and_the_old_index_key_can_be_retired()
    {
        var original = Ring("original", indexKey: OriginalIndexKey, null);
        var rotating = Ring("rotating", indexKey: OriginalIndexKey, ("ix-2", NewIndexKey));
        var retired = Ring("retired", indexKey: null, ("ix-2", NewIndexKey));
        var clinicId = TestData.NewId("bix");
        var suffix = clinicId[^6..];
        var ids = new Dictionary<string, string>();

        await using (var silo = await StartAsync(original))
        {
            Assert.True((await silo.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Index rotation"))).IsSuccess);
            foreach (var (given, mrn) in new[] { ("Rosalind", "A"), ("Rosa", "B"), ("Marie", "C") })
            {
                ids[mrn] = await CreateAsync(silo, clinicId, given, $"MRN-{mrn}-{suffix}");
            }
        }

        Assert.Equal(0, await PartitionsAsync(generation: "ix-2"));
        await using (var silo = await StartAsync(rotating))
        {
            // Not yet re-indexed: found through the original key's partitions.
            var directory = silo.Grains.GetGrain<IPatientDirectoryGrain>(clinicId);
            Assert.Equal(ids["A"], (await directory.FindByMrnAsync($"MRN-A-{suffix}"))!.Id);
            Assert.Equal(2, (await directory.SearchByNameAsync("Ros", 10)).Count);

            // An MRN registered under the old key only is still taken.
            var duplicate = await silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, TestData.NewId("pat")))
                .CreateAsync(TestData.Patient($"MRN-A-{suffix}"));
            Assert.Equal("mrn-taken", duplicate.Error!.Code);

            // New writes use the new key; an update moves the patient out of the old partitions.
            ids["D"] = await CreateAsync(silo, clinicId, "Rosemary", $"MRN-D-{suffix}");
            Assert.Equal(3, (await directory.SearchByNameAsync("Ros", 10)).Count);
            var marie = silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, ids["C"]));
            Assert.True((await marie.UpdateAsync((await marie.GetAsync())!.Demographics with { GivenName = "Mariana" })).IsSuccess);
            Assert.Single(await directory.SearchByNameAsync("Mariana", 10));
            Assert.Empty(await directory.SearchByNameAsync("Marie", 10));

            using var output = new StringWriter();
            var code = await SiloCommandLine.InvokeAsync(
                ["encryption", "reindex", "--batch-size", "2", "--Silo:Clustering=AdoNet", $"--Postgres:ConnectionString={_database.App}", $"--Encryption:KeyRingFile={rotating}"],
                output, output);
            Assert.True(code == 0, output.ToString());
            Assert.Contains("2 patients re-indexed", output.ToString(), StringComparison.Ordinal); // more than one batch
            Assert.Contains("reindex: 4 patient(s) under index key 'ix-2'; 0 MRN conflict(s); 0 partition(s) left", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("index key(s) original can now be removed from the ring.", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, await PartitionsAsync(generation: "original"));
            Assert.Equal(3, (await directory.SearchByNameAsync("Ros", 10)).Count);
        }

        await using (var silo = await StartAsync(retired))
        {
            var directory = silo.Grains.GetGrain<IPatientDirectoryGrain>(clinicId);
            foreach (var (mrn, id) in ids)
            {
                Assert.Equal(id, (await directory.FindByMrnAsync($"mrn-{mrn}-{suffix}"))!.Id);
            }

            Assert.Equal([ids["B"], ids["A"], ids["D"]], (await directory.SearchByNameAsync("ros", 10)).OrderBy(p => p.GivenName).Select(p => p.Id));
            Assert.Single(await directory.SearchByNameAsync("Mariana", 10));
            var duplicate = await silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, TestData.NewId("pat")))
                .CreateAsync(TestData.Patient($"MRN-B-{suffix}"));
            Assert.Equal("mrn-taken", duplicate.Error!.Code);
        }
    }

    private static async Task<string> CreateAsync(SiloHost silo, string clinicId, string givenName, string mrn)
    {
        var id = TestData.NewId("pat");
        var created = await silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, id))
            .CreateAsync(TestData.Patient(mrn) with { GivenName = givenName });
        Assert.True(created.IsSuccess);
        return id;
    }

    private Task<SiloHost> StartAsync(string ring) =>
        SiloHost.StartAsync(_database.App, new Dictionary<string, string?> { ["Encryption:KeyRingFile"] = ring });

    /// <summary>Registry and name index partitions of one generation that hold an entry.</summary>
    private async Task<int> PartitionsAsync(string generation)
    {
        await using var connection = new NpgsqlConnection(_database.Owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_id_ext FROM orleans.grain_state WHERE grain_type IN ('mrns', 'names') AND payload IS NOT NULL AND payload -> 'patients' <> '{}'::jsonb " +
            "UNION SELECT DISTINCT partition_key FROM orleans.patient_index_entries",
            connection);
        var count = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            count += PatientIndexKeys.GenerationOf(reader.GetString(0)) == generation ? 1 : 0;
        }

        return count;
    }

    private string Ring(string name, string? indexKey, (string Id, string Key)? rotatedIn)
    {
        var path = Path.Combine(_folder, name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["activeKeyId"] = TestKeyRings.ActiveKeyId,
            ["keys"] = new Dictionary<string, string> { [TestKeyRings.ActiveKeyId] = TestKeyRings.PhiKey },
            ["indexKey"] = indexKey,
            ["indexKeys"] = rotatedIn is { } k ? new Dictionary<string, string> { [k.Id] = k.Key } : null,
            ["activeIndexKeyId"] = rotatedIn?.Id,
        }));
        return path;
    }
}
