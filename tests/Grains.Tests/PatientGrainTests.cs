using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PatientGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Created_patient_can_be_read_and_updated()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var grain = clinic.Patient("pat-1");
        var demographics = TestClinic.Demographics("MRN-100", "Grace", "Hopper") with
        {
            Phone = "+1 (212) 555-0100",
            Email = "grace@example.org",
            Address = new PostalAddress("1 Main St", null, "New York", "NY", "10001", "US"),
        };

        var created = ResultAssert.Success(await grain.CreateAsync(demographics));
        Assert.Equal("pat-1", created.Id);
        Assert.Equal(clinic.Id, created.ClinicId);
        Assert.Equal(demographics, created.Demographics);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Equal(created, await grain.GetAsync());

        var changed = demographics with { FamilyName = "Murray Hopper", Phone = null };
        var updated = ResultAssert.Success(await grain.UpdateAsync(changed));
        Assert.Equal(changed, updated.Demographics);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(changed, (await grain.GetAsync())!.Demographics);
    }

    [Fact]
    public async Task Unknown_patient_reads_as_null_and_cannot_be_updated()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var grain = clinic.Patient("nobody");

        Assert.Null(await grain.GetAsync());
        ResultAssert.Failure(await grain.UpdateAsync(TestClinic.Demographics("MRN-1")), ErrorKind.NotFound);
    }

    [Fact]
    public async Task Creating_the_same_patient_twice_is_a_conflict()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var grain = clinic.Patient("pat-1");
        ResultAssert.Success(await grain.CreateAsync(TestClinic.Demographics("MRN-1")));

        ResultAssert.Failure(await grain.CreateAsync(TestClinic.Demographics("MRN-2")), ErrorKind.Conflict, "patient-exists");
        Assert.Equal("MRN-1", (await grain.GetAsync())!.Demographics.Mrn);
    }

    [Fact]
    public async Task Invalid_demographics_are_refused_with_the_offending_fields()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var demographics = new PatientDemographics(
            "MRN 1!", "", "Doe", DateOnly.FromDateTime(ClusterFixture.StartInstant.UtcDateTime).AddDays(1), AdministrativeSex.Male,
            Email: "not-an-email");

        var result = await clinic.Patient("pat-1").CreateAsync(demographics);

        var error = ResultAssert.Failure(result, ErrorKind.Validation);
        Assert.Equal(new[] { "birthDate", "email", "givenName", "mrn" }, error.Fields!.Keys.Order(StringComparer.Ordinal));
        Assert.Null(await clinic.Patient("pat-1").GetAsync());
    }

    [Fact]
    public async Task Duplicate_mrn_in_the_same_clinic_is_a_conflict()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        await clinic.AddPatientAsync("MRN-7");

        var second = await clinic.Patient("pat-2").CreateAsync(TestClinic.Demographics("MRN-7"));

        ResultAssert.Failure(second, ErrorKind.Conflict, "mrn-taken");
        Assert.Null(await clinic.Patient("pat-2").GetAsync());
    }

    [Fact]
    public async Task Mrns_compare_case_insensitively()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        await clinic.AddPatientAsync("ab-1");

        var second = await clinic.Patient("pat-2").CreateAsync(TestClinic.Demographics("AB-1"));

        ResultAssert.Failure(second, ErrorKind.Conflict, "mrn-taken");
    }

    [Fact]
    public async Task Updating_to_a_taken_mrn_is_a_conflict_and_keeps_the_record()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        await clinic.AddPatientAsync("MRN-A");
        var patientId = await clinic.AddPatientAsync("MRN-B");

        var result = await clinic.Patient(patientId).UpdateAsync(TestClinic.Demographics("mrn-a"));

        ResultAssert.Failure(result, ErrorKind.Conflict, "mrn-taken");
        Assert.Equal("MRN-B", (await clinic.Patient(patientId).GetAsync())!.Demographics.Mrn);
        Assert.Equal(patientId, (await clinic.Directory.FindByMrnAsync("MRN-B"))!.Id);
    }

    [Fact]
    public async Task Same_mrn_in_another_clinic_is_allowed()
    {
        var first = await TestClinic.CreateAsync(_grains);
        var second = await TestClinic.CreateAsync(_grains);
        var firstPatient = await first.AddPatientAsync("MRN-SHARED");

        var secondPatient = await second.AddPatientAsync("MRN-SHARED");

        Assert.Equal(firstPatient, (await first.Directory.FindByMrnAsync("MRN-SHARED"))!.Id);
        Assert.Equal(secondPatient, (await second.Directory.FindByMrnAsync("MRN-SHARED"))!.Id);
    }

    [Fact]
    public async Task Changing_the_mrn_frees_the_old_one()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync("MRN-OLD");

        ResultAssert.Success(await clinic.Patient(patientId).UpdateAsync(TestClinic.Demographics("MRN-NEW")));

        Assert.Null(await clinic.Directory.FindByMrnAsync("MRN-OLD"));
        Assert.Equal(patientId, (await clinic.Directory.FindByMrnAsync("MRN-NEW"))!.Id);
        var other = await clinic.AddPatientAsync("MRN-OLD");
        Assert.Equal(other, (await clinic.Directory.FindByMrnAsync("mrn-old"))!.Id);
    }

    [Fact]
    public async Task Changing_only_the_case_of_the_mrn_keeps_it()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync("mrn-case");

        ResultAssert.Success(await clinic.Patient(patientId).UpdateAsync(TestClinic.Demographics("MRN-CASE")));

        var found = await clinic.Directory.FindByMrnAsync("Mrn-Case");
        Assert.Equal(patientId, found!.Id);
        Assert.Equal("MRN-CASE", found.Mrn);
        ResultAssert.Failure(await clinic.Patient("pat-2").CreateAsync(TestClinic.Demographics("mrn-case")), ErrorKind.Conflict, "mrn-taken");
    }

    [Fact]
    public async Task Concurrent_registrations_with_one_mrn_admit_exactly_one()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var mrns = new[] { "MRN-RACE", "mrn-race", "Mrn-Race", "MRN-race" };

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => clinic.Patient($"pat-{i}").CreateAsync(TestClinic.Demographics(mrns[i % mrns.Length]))));

        var winner = Assert.Single(results, r => r.IsSuccess).Value!;
        Assert.All(results.Where(r => !r.IsSuccess), r => ResultAssert.Failure(r, ErrorKind.Conflict, "mrn-taken"));
        Assert.Equal(winner.Id, (await clinic.Directory.FindByMrnAsync("mrn-RACE"))!.Id);
    }

    [Fact]
    public async Task Directory_shows_the_current_name_of_a_patient_found_by_mrn()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync("MRN-R", "Anna", "Smith");

        ResultAssert.Success(await clinic.Patient(patientId).UpdateAsync(TestClinic.Demographics("MRN-R", "Anna", "Jones")));

        Assert.Equal("Jones", (await clinic.Directory.FindByMrnAsync("MRN-R"))!.FamilyName);
    }

    [Fact]
    public async Task Directory_finds_a_patient_by_mrn_in_any_case()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync("AB-1", "Ada", "Lovelace");

        var found = await clinic.Directory.FindByMrnAsync("ab-1");

        Assert.NotNull(found);
        Assert.Equal(new PatientSummary(patientId, "AB-1", "Ada", "Lovelace", new DateOnly(1980, 5, 17)), found);
        Assert.Null(await clinic.Directory.FindByMrnAsync("AB-2"));
    }

    [Fact]
    public async Task Name_search_matches_a_prefix_of_the_given_or_the_family_name()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var ada = await clinic.AddPatientAsync(givenName: "Ada", familyName: "Lovelace");
        var alan = await clinic.AddPatientAsync(givenName: "Alan", familyName: "Turing");
        await clinic.AddPatientAsync(givenName: "Grace", familyName: "Hopper");

        Assert.Equal(new[] { ada }, Ids(await clinic.Directory.SearchByNameAsync("lov", 10)));
        Assert.Equal(new[] { ada }, Ids(await clinic.Directory.SearchByNameAsync("AD", 10)));
        Assert.Equal(new[] { alan }, Ids(await clinic.Directory.SearchByNameAsync("Turing", 10)));
        Assert.Empty(await clinic.Directory.SearchByNameAsync("urin", 10));
        Assert.Empty(await clinic.Directory.SearchByNameAsync("x", 10));
        Assert.Empty(await clinic.Directory.SearchByNameAsync(" - ", 10));
    }

    [Fact]
    public async Task Name_search_ignores_accents_and_case()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var zoe = await clinic.AddPatientAsync(givenName: "Zoë", familyName: "Müller-Lüdenscheidt");
        var chloe = await clinic.AddPatientAsync(givenName: "Chloe", familyName: "Zola");

        Assert.Equal(new[] { zoe }, Ids(await clinic.Directory.SearchByNameAsync("zoe", 10)));
        Assert.Equal(new[] { zoe }, Ids(await clinic.Directory.SearchByNameAsync("ZOË", 10)));
        Assert.Equal(new[] { zoe }, Ids(await clinic.Directory.SearchByNameAsync("mull", 10)));
        Assert.Equal(new[] { zoe }, Ids(await clinic.Directory.SearchByNameAsync("lüden", 10)));
        Assert.Equal(new[] { chloe }, Ids(await clinic.Directory.SearchByNameAsync("chloé", 10)));
    }

    [Fact]
    public async Task Name_search_is_ordered_by_family_name_and_honours_the_limit()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var young = await clinic.AddPatientAsync(givenName: "Anna", familyName: "Young");
        var brown = await clinic.AddPatientAsync(givenName: "Andrew", familyName: "brown");
        var miller = await clinic.AddPatientAsync(givenName: "Angela", familyName: "Miller");
        var anders = await clinic.AddPatientAsync(givenName: "Kim", familyName: "Anders");
        await clinic.AddPatientAsync(givenName: "Bob", familyName: "Smith");

        var all = await clinic.Directory.SearchByNameAsync("an", 10);
        Assert.Equal(new[] { anders, brown, miller, young }, Ids(all));

        var firstTwo = await clinic.Directory.SearchByNameAsync("an", 2);
        Assert.Equal(new[] { anders, brown }, Ids(firstTwo));
    }

    [Fact]
    public async Task Name_search_orders_accented_family_names_with_their_base_letter()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var zimmer = await clinic.AddPatientAsync(givenName: "Albert", familyName: "Zimmer");
        var avila = await clinic.AddPatientAsync(givenName: "Alice", familyName: "Ávila");
        var brown = await clinic.AddPatientAsync(givenName: "Alan", familyName: "Brown");

        var hits = await clinic.Directory.SearchByNameAsync("al", 10);

        // Search treats "Ávila" and "avila" as the same name, so the list should sort it under A.
        Assert.Equal(new[] { avila, brown, zimmer }, Ids(hits));
    }

    [Fact]
    public async Task A_patient_matching_on_several_names_is_listed_once()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync(givenName: "Mary Margaret", familyName: "Mason");

        var hits = await clinic.Directory.SearchByNameAsync("ma", 10);

        Assert.Equal(new[] { patientId }, Ids(hits));
    }

    [Fact]
    public async Task Changing_the_name_removes_the_old_name_from_search()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync("MRN-N", "Anna", "Smith");

        ResultAssert.Success(await clinic.Patient(patientId).UpdateAsync(TestClinic.Demographics("MRN-N", "Anna", "Jones")));

        Assert.Empty(await clinic.Directory.SearchByNameAsync("smith", 10));
        var byFamily = Assert.Single(await clinic.Directory.SearchByNameAsync("jon", 10));
        Assert.Equal("Jones", byFamily.FamilyName);
        var byGiven = Assert.Single(await clinic.Directory.SearchByNameAsync("anna", 10));
        Assert.Equal("Jones", byGiven.FamilyName);
    }

    [Fact]
    public async Task Changing_the_name_within_one_index_partition_replaces_the_old_tokens()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync("MRN-S", "Sam", "Smith");

        ResultAssert.Success(await clinic.Patient(patientId).UpdateAsync(TestClinic.Demographics("MRN-S", "Sam", "Sanders")));

        Assert.Empty(await clinic.Directory.SearchByNameAsync("smi", 10));
        Assert.Equal("Sanders", Assert.Single(await clinic.Directory.SearchByNameAsync("san", 10)).FamilyName);
        Assert.Equal("Sanders", Assert.Single(await clinic.Directory.SearchByNameAsync("sam", 10)).FamilyName);
    }

    [Fact]
    public async Task Name_search_is_scoped_to_the_clinic()
    {
        var first = await TestClinic.CreateAsync(_grains);
        var second = await TestClinic.CreateAsync(_grains);
        await first.AddPatientAsync(givenName: "Ada", familyName: "Lovelace");

        Assert.Empty(await second.Directory.SearchByNameAsync("ada", 10));
    }

    private static string[] Ids(IEnumerable<PatientSummary> hits) => hits.Select(h => h.Id).ToArray();
}
