using ClinicCluster.Patients;

namespace ClinicCluster.Domain.Tests;

/// <summary>
/// The name index snapshot's rules (decision 0060): a bulk load answers as upserts do, an
/// activation reuses only entries whose stored row is unchanged, and a snapshot never pairs a
/// row with a patient whose write is in flight.
/// </summary>
public sealed class NameIndexSnapshotTests
{
    private static readonly string[] Families = ["Smith", "Smyth", "Smithe", "Schmidt", "Ávila", "O'Brien-Smith"];
    private static readonly string[] Givens = ["Jo", "John", "Joan", "Sam", "Smita", "Zoë"];

    [Fact]
    public void A_bulk_load_answers_every_search_as_the_same_patients_upserted_one_by_one()
    {
        var random = new Random(59);
        var patients = Enumerable.Range(0, 2_000)
            .Select(i => Patient($"p{random.Next(100_000):D5}-{i}", Givens[random.Next(Givens.Length)], Families[random.Next(Families.Length)]))
            .ToList();
        var upserted = new NameIndex();
        patients.ForEach(p => upserted.Upsert(p, NameTokens.Of(p.GivenName, p.FamilyName)));
        var loaded = new NameIndex();
        loaded.Load(patients.Select(p => (p, (IEnumerable<string>)NameTokens.Of(p.GivenName, p.FamilyName))));

        Assert.Equal(upserted.Count, loaded.Count);
        foreach (var prefix in new[] { "s", "smi", "smith", "jo", "zoe", "avi", "o", "x" })
        {
            Assert.Equal(upserted.Search(prefix, 5_000).Select(p => p.Id), loaded.Search(prefix, 5_000).Select(p => p.Id));
        }

        // A loaded index takes later changes like any other.
        loaded.Upsert(Patient(patients[0].Id, "Zed", "Zulu"), ["zed", "zulu"]);
        Assert.Equal(patients[0].Id, Assert.Single(loaded.Search("zul", 20)).Id);
        Assert.Throws<InvalidOperationException>(() => loaded.Load([]));
        Assert.Throws<ArgumentException>(() => new NameIndex().Load([(patients[0], ["jo"]), (patients[0], ["jo"])]));
    }

    [Fact]
    public void An_activation_reuses_unchanged_rows_decrypts_changed_and_new_ones_and_drops_removed_ones()
    {
        var rows = new[] { Row("p1", "v1"), Row("p2", "v2"), Row("p3", "v3") };
        var snapshot = NameIndexSnapshot.Take(rows, Held(Patient("p1", "Jo", "Smith"), Patient("p2", "Sam", "Smyth"), Patient("p3", "Joan", "Ávila")), new HashSet<string>());
        Assert.Equal(3, snapshot.Entries.Count);

        // Since: p2 renamed (new ciphertext), p3 removed, p4 registered.
        var now = new[] { Row("p1", "v1"), Row("p2", "v2-renamed"), Row("p4", "v4") };
        var restore = NameIndexSnapshot.Restore(snapshot, now);

        Assert.Equal(["p1"], restore.Reused.Select(p => p.Id));
        Assert.Equal(["p2", "p4"], restore.ToDecrypt.Select(r => r.Owner));
        Assert.Equal(2, restore.Stale);

        // No snapshot: every row is decrypted.
        Assert.Equal(3, NameIndexSnapshot.Restore(null, now).ToDecrypt.Count);
    }

    [Fact]
    public void A_snapshot_skips_patients_whose_write_is_in_flight_and_rows_memory_does_not_hold()
    {
        // p2's row already holds its new name while memory still holds the old one: pairing them
        // would make the next activation serve the old name for the new row.
        var rows = new[] { Row("p1", "v1"), Row("p2", "v2-new"), Row("p5", "v5") };
        var snapshot = NameIndexSnapshot.Take(rows, Held(Patient("p1", "Jo", "Smith"), Patient("p2", "Sam", "Old")), new HashSet<string> { "p2" });

        Assert.Equal(["p1"], snapshot.Entries.Select(e => e.Patient.Id));
    }

    [Fact]
    public void A_stamp_is_the_end_of_the_value_where_its_tag_is()
    {
        var value = "phi2:k:wrapped:" + new string('n', 40) + "0123456789abcdefghijklmn";
        Assert.Equal("0123456789abcdefghijklmn", PatientIndexStamp.Of(value));
        Assert.Equal("short", PatientIndexStamp.Of("short"));
    }

    [Fact]
    public void The_stored_columns_give_back_the_snapshot_and_refuse_columns_of_different_lengths()
    {
        var snapshot = new NameIndexSnapshot([new("s1", Patient("p1", "Jo", "Smith")), new("s2", Patient("p2", "Zoë", "Ávila"))]);
        var columns = NameIndexSnapshotColumns.Of(snapshot);
        var json = System.Text.Json.JsonSerializer.Serialize(columns, Security.PhiJson.SerializerOptions);
        var back = System.Text.Json.JsonSerializer.Deserialize<NameIndexSnapshotColumns>(json, Security.PhiJson.SerializerOptions)!.ToSnapshot();

        Assert.Equal(snapshot.Entries, back.Entries);
        Assert.Throws<System.Text.Json.JsonException>(() => (columns with { Mrns = ["only one"] }).ToSnapshot());
    }

    [Theory]
    [InlineData(999, 10_000, false)]
    [InlineData(1_000, 499, false)]
    [InlineData(1_000, 500, true)]
    public void The_timer_writes_a_snapshot_only_for_a_large_partition_that_changed_enough(int entries, int changes, bool writes) =>
        Assert.Equal(writes, NameIndexSnapshotPolicy.OnTimer(entries, changes));

    [Theory]
    [InlineData(999, 1, false)]
    [InlineData(1_000, 0, false)]
    [InlineData(1_000, 1, true)]
    public void Deactivation_writes_a_snapshot_for_a_large_partition_with_any_change(int entries, int changes, bool writes) =>
        Assert.Equal(writes, NameIndexSnapshotPolicy.OnDeactivation(entries, changes));

    private static Func<string, PatientSummary?> Held(params PatientSummary[] patients) =>
        id => patients.FirstOrDefault(p => p.Id == id);

    private static PatientIndexStamp Row(string patientId, string value) => new(patientId, patientId, PatientIndexStamp.Of(value));

    private static PatientSummary Patient(string id, string given, string family) => new(id, "MRN-" + id, given, family, new DateOnly(1980, 1, 1));
}
