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
    public async Task Patient_state_keeps_ids_and_times_as_text_and_demographics_as_one_ciphertext()
    {
        var clinicId = TestData.NewId("clinic");
        var patientKey = ClinicScopedKey.Format(clinicId, TestData.NewId("pat"));
        await fixture.Silo.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Json Clinic"));
        await fixture.Silo.Grains.GetGrain<IPatientGrain>(patientKey).CreateAsync(TestData.Patient("MRN-JSON-1"));

        Assert.Equal(clinicId, await PatientAsync("clinicId", patientKey));
        Assert.StartsWith($"phi2:{TestKeyRings.ActiveKeyId}:", await PatientAsync("demographics", patientKey), StringComparison.Ordinal);
        var document = await fixture.Database.ScalarAsync<string>(
            "SELECT payload::text FROM orleans.grain_state WHERE grain_type = 'patient' AND grain_id_ext = @id", ("id", patientKey));
        Assert.DoesNotContain("Springfield", document, StringComparison.Ordinal);
        Assert.DoesNotContain("1980-05-17", document, StringComparison.Ordinal);
    }

    private Task<T> ClinicAsync<T>(string expression, string clinicId) => fixture.Database.ScalarAsync<T>(
        $"SELECT {expression} FROM orleans.grain_state WHERE grain_type = 'clinic' AND grain_id_ext = @id", ("id", clinicId));

    private Task<string> PatientAsync(string path, string patientKey) => fixture.Database.ScalarAsync<string>(
        $"SELECT payload #>> '{{patient,{path}}}' FROM orleans.grain_state WHERE grain_type = 'patient' AND grain_id_ext = @id",
        ("id", patientKey));
}
