using ClinicCluster.Patients;

namespace ClinicCluster.Domain.Tests;

public sealed class NameIndexTests
{
    private static readonly string[] Families = ["Smith", "Smyth", "Smithe", "Smithson", "Schmidt", "Smitt", "Ávila", "Avery", "O'Brien-Smith"];
    private static readonly string[] Givens = ["Jo", "John", "Joan", "Jon", "Johanna", "Sam", "Smita", "Zoë"];

    [Fact]
    public void Merged_search_returns_exactly_the_first_hits_of_a_full_sort_for_every_prefix_and_limit()
    {
        var random = new Random(21);
        var index = new NameIndex();
        var patients = new List<PatientSummary>();
        for (var i = 0; i < 1_500; i++)
        {
            var patient = Patient($"p{random.Next(100_000):D5}-{i}", Givens[random.Next(Givens.Length)], Families[random.Next(Families.Length)]);
            patients.Add(patient);
            index.Upsert(patient, NameTokens.Of(patient.GivenName, patient.FamilyName));
        }

        foreach (var prefix in new[] { "s", "sm", "smi", "smith", "smithson", "jo", "zoe", "avi", "o", "x" })
        {
            foreach (var limit in new[] { 1, 20, 5_000 })
            {
                Assert.Equal(FullSort(patients, prefix).Take(limit).Select(p => p.Id), index.Search(prefix, limit).Select(p => p.Id));
            }
        }
    }

    [Fact]
    public void A_patient_under_several_tokens_in_range_is_listed_once()
    {
        var index = new NameIndex();
        var patient = Patient("p1", "Smita", "Smith");
        index.Upsert(patient, NameTokens.Of(patient.GivenName, patient.FamilyName));

        Assert.Equal(["p1"], index.Search("smi", 20).Select(p => p.Id));
    }

    [Fact]
    public void Upserting_a_new_name_drops_the_old_tokens_and_remove_forgets_the_patient()
    {
        var index = new NameIndex();
        index.Upsert(Patient("p1", "Jo", "Smith"), ["jo", "smith"]);
        index.Upsert(Patient("p1", "Jo", "Jones"), ["jo", "jones"]);

        Assert.Empty(index.Search("smith", 20));
        Assert.Equal("Jones", Assert.Single(index.Search("jo", 20)).FamilyName);

        Assert.True(index.Remove("p1"));
        Assert.False(index.Remove("p1"));
        Assert.Empty(index.Search("jo", 20));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Only_the_tokens_given_are_searchable()
    {
        // A partition indexes only the tokens that hash to it: the family name here, not the given name.
        var index = new NameIndex();
        index.Upsert(Patient("p1", "Jo", "Smith"), ["smith"]);

        Assert.Empty(index.Search("jo", 20));
        Assert.Single(index.Search("smi", 20));
        Assert.Empty(index.Search("smi", 0));
    }

    private static IEnumerable<PatientSummary> FullSort(IEnumerable<PatientSummary> patients, string prefix) => patients
        .Where(p => NameTokens.Of(p.GivenName, p.FamilyName).Any(t => t.StartsWith(prefix, StringComparison.Ordinal)))
        .OrderBy(p => NameTokens.SortKey(p.FamilyName), StringComparer.Ordinal)
        .ThenBy(p => NameTokens.SortKey(p.GivenName), StringComparer.Ordinal)
        .ThenBy(p => p.Id, StringComparer.Ordinal);

    private static PatientSummary Patient(string id, string given, string family) =>
        new(id, "MRN-" + id, given, family, new DateOnly(1980, 1, 1));
}
