using System.Net;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Storage.Tests;

public sealed class RestartTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Grain_state_survives_a_full_cluster_restart()
    {
        var clinicId = TestData.NewId("clinic");
        var patientKey = ClinicScopedKey.Format(clinicId, TestData.NewId("pat"));
        var mrn = TestData.NewId("MRN");

        await using (var first = await SiloHost.StartAsync(_database.App))
        {
            await AssertReadyAsync(first);
            Assert.True((await first.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Restart Clinic"))).IsSuccess);
            Assert.True((await first.Grains.GetGrain<IPatientGrain>(patientKey).CreateAsync(TestData.Patient(mrn))).IsSuccess);
        }

        // Every silo of the first cluster is gone; only the database remembers.
        await using var second = await SiloHost.StartAsync(_database.App);
        await AssertReadyAsync(second);

        var clinic = await second.Grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
        var patient = await second.Grains.GetGrain<IPatientGrain>(patientKey).GetAsync();
        var byMrn = await second.Grains.GetGrain<IPatientDirectoryGrain>(clinicId).FindByMrnAsync(mrn);

        Assert.NotNull(clinic);
        Assert.Equal("Restart Clinic", clinic.Settings.Name);
        Assert.Equal(BookingPolicy.Default, clinic.Settings.Policy);
        Assert.Equal(new AppointmentType("checkup", 30, 10), Assert.Single(clinic.Settings.AppointmentTypes));
        Assert.NotNull(patient);
        Assert.Equal(TestData.Patient(mrn), patient.Demographics);
        Assert.Equal(patient.Id, byMrn?.Id);

        // The first silo left the membership table as dead, the second is the one active member.
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans.membership WHERE status = 3"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans.membership WHERE status = 6"));
    }

    private static async Task AssertReadyAsync(SiloHost silo)
    {
        using var http = new HttpClient { BaseAddress = silo.Http };
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
