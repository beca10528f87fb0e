using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Grains.Tests;

/// <summary>The onboarding import's registrations (decision 0030), in the embedded storage mode.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PatientImportGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Importing_a_patient_twice_registers_it_once_under_the_same_id()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var import = _grains.GetGrain<IPatientImportGrain>(clinic.Id);

        var first = ResultAssert.Success(await import.ImportAsync(TestClinic.Demographics("MRN-IMP-1")));
        var again = ResultAssert.Success(await import.ImportAsync(TestClinic.Demographics("mrn-imp-1")));

        Assert.NotNull(first.Created);
        Assert.Null(again.Created);
        Assert.Equal(first.PatientId, again.PatientId);
        Assert.Equal(first.PatientId, (await clinic.Directory.FindByMrnAsync("MRN-IMP-1"))!.Id);
        Assert.DoesNotContain("IMP", first.PatientId, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_mrn_registered_by_hand_is_reported_as_its_holder_and_not_registered_again()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        ResultAssert.Success(await clinic.Patient("pat-by-hand").CreateAsync(TestClinic.Demographics("MRN-HAND")));

        var imported = ResultAssert.Success(await _grains.GetGrain<IPatientImportGrain>(clinic.Id).ImportAsync(TestClinic.Demographics("MRN-HAND")));

        Assert.Equal(("pat-by-hand", (Patient?)null), (imported.PatientId, imported.Created));
    }

    [Fact]
    public async Task Invalid_demographics_are_refused_with_their_fields()
    {
        var clinic = await TestClinic.CreateAsync(_grains);

        var refused = await _grains.GetGrain<IPatientImportGrain>(clinic.Id).ImportAsync(TestClinic.Demographics("MRN WITH SPACES"));

        ResultAssert.Failure(refused, ErrorKind.Validation, "validation");
        Assert.Contains("mrn", refused.Error!.Fields!.Keys);
    }
}
