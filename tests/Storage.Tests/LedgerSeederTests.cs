using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Persistence.Postgres.Ledger;
using ClinicCluster.Scheduling;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The ledger's bulk seed of the data-scale benchmark (decision 0056): rows the grains read as
/// their own, a larger seed extending a smaller one, a repeated seed writing nothing, and booked
/// seeded slots that a booking through the grains cannot take.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class LedgerSeederTests(StorageFixture fixture)
{
    [Fact]
    public async Task Seeded_rows_are_read_by_the_grains_extended_by_a_larger_seed_and_block_their_slots()
    {
        var clinicId = TestData.NewId("seed");
        var grains = fixture.Silo.Grains;
        var clinic = grains.GetGrain<IClinicGrain>(clinicId);
        Assert.True((await clinic.CreateAsync(new ClinicSettings("Seed clinic", "UTC", [new AppointmentType("checkup", 30, 0)], BookingPolicy.Default))).IsSuccess);
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(8, 0), new TimeOnly(18, 0))).ToList();
        string[] providers = ["prv-a", "prv-b", "prv-c"];
        foreach (var provider in providers)
        {
            Assert.True((await clinic.AddProviderAsync(provider, new ProviderProfile("Dr. " + provider, "General", hours, []))).IsSuccess);
        }

        var patients = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var patientId = TestData.NewId("pat");
            Assert.True((await grains.GetGrain<Patients.IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId))
                .CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess);
            patients.Add(patientId);
        }

        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.Owner);
        var seeder = new LedgerSeeder(dataSource);
        var shape = new LedgerSeedShape(clinicId, "UTC", "checkup", providers, 500, PastDays: 30, FutureDays: 5, FutureOffsetDays: 10, BatchSize: 200);

        var first = await seeder.SeedAsync(shape, null, CancellationToken.None);
        var larger = await seeder.SeedAsync(shape with { Count = 800 }, null, CancellationToken.None);
        var again = await seeder.SeedAsync(shape with { Count = 800 }, null, CancellationToken.None);

        Assert.Equal((500, 300, 0), (first.Inserted, larger.Inserted, again.Inserted));
        Assert.Equal(4, first.Patients);
        // Every patient's list through its grain is its rows in the ledger; only future rows are booked.
        long listed = 0;
        foreach (var patient in patients)
        {
            var list = await grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(clinicId, patient)).ListAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            Assert.All(list, a => Assert.Equal(a.Start > DateTimeOffset.UtcNow, a.Status == AppointmentStatus.Booked));
            listed += list.Count;
        }

        Assert.Equal(800, listed);
        var booked = await TestDatabase.ScalarAsync<long>(fixture.Database.Owner,
            $"SELECT count(*) FROM scheduling.appointment_ledger WHERE clinic_id = '{clinicId}' AND status = 'booked'");
        Assert.InRange(booked, 1, 799);

        // A booked seeded slot is taken for the calendars too: the provider's calendar loads it from the ledger.
        var taken = await TestDatabase.ScalarAsync<DateTime>(fixture.Database.Owner,
            $"SELECT starts_at FROM scheduling.appointment_ledger WHERE clinic_id = '{clinicId}' AND provider_id = 'prv-a' AND status = 'booked' ORDER BY starts_at LIMIT 1");
        var other = TestData.NewId("pat");
        Assert.True((await grains.GetGrain<Patients.IPatientGrain>(ClinicScopedKey.Format(clinicId, other)).CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess);
        var refused = await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, "apt-over-seed"))
            .BookAsync(new BookAppointment(other, "prv-a", "checkup", new DateTimeOffset(DateTime.SpecifyKind(taken, DateTimeKind.Utc))), null);
        Assert.Equal(LedgerWrite.ProviderBusy.Code, refused.Error?.Code);
    }
}
