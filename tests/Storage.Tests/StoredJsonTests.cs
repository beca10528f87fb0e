using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Storage.Tests;

[Collection(StorageCollection.Name)]
public sealed class StoredJsonTests(StorageFixture fixture)
{
    [Fact]
    public async Task Clinic_state_is_stored_as_readable_json()
    {
        var clinicId = TestData.NewId("clinic");
        await fixture.Silo.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Json Clinic"));

        var type = await ClinicAsync<string>("jsonb_typeof(payload)", clinicId);
        var document = await ClinicAsync<string>("payload::text", clinicId);

        Assert.Equal("object", type);
        Assert.Contains("\"Json Clinic\"", document, StringComparison.Ordinal);
        Assert.Equal("Json Clinic", await ClinicAsync<string>("payload #>> '{clinic,settings,name}'", clinicId));
        Assert.Equal("America/New_York", await ClinicAsync<string>("payload #>> '{clinic,settings,timeZone}'", clinicId));
        Assert.Equal("checkup", await ClinicAsync<string>("payload #>> '{clinic,settings,appointmentTypes,0,name}'", clinicId));
        Assert.Equal(120, await ClinicAsync<int>("(payload #>> '{clinic,settings,policy,minimumNoticeMinutes}')::int", clinicId));
    }

    [Fact]
    public async Task Patient_state_keeps_dates_and_enums_as_text()
    {
        var clinicId = TestData.NewId("clinic");
        var patientKey = ClinicScopedKey.Format(clinicId, TestData.NewId("pat"));
        await fixture.Silo.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Json Clinic"));
        await fixture.Silo.Grains.GetGrain<IPatientGrain>(patientKey).CreateAsync(TestData.Patient("MRN-JSON-1"));

        Assert.Equal("1980-05-17", await PatientAsync("birthDate", patientKey));
        Assert.Equal("female", await PatientAsync("sex", patientKey));
        Assert.Equal("Springfield", await PatientAsync("address,city", patientKey));
    }

    private Task<T> ClinicAsync<T>(string expression, string clinicId) => fixture.Database.ScalarAsync<T>(
        $"SELECT {expression} FROM orleans.grain_state WHERE grain_type = 'clinic' AND grain_id_ext = @id", ("id", clinicId));

    private Task<string> PatientAsync(string path, string patientKey) => fixture.Database.ScalarAsync<string>(
        $"SELECT payload #>> '{{patient,demographics,{path}}}' FROM orleans.grain_state WHERE grain_type = 'patient' AND grain_id_ext = @id",
        ("id", patientKey));
}
