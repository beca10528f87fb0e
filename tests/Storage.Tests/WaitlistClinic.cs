using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// A UTC clinic for the waitlist suites: providers p0..pN open all week, visits booked by holders
/// (one patient per visit, so patients never overlap) and waiting patients who join for any provider.
/// </summary>
internal sealed record WaitlistClinic(IGrainFactory Grains, string ClinicId, int Providers)
{
    /// <summary>The first day visits are booked on, a week ahead (inside the default booking window).</summary>
    public static DateOnly FirstDay => DateOnly.FromDateTime(DateTime.UtcNow.Date.AddDays(7));

    public IWaitlistGrain Waitlist => Grains.GetGrain<IWaitlistGrain>(ClinicId);

    public static async Task<WaitlistClinic> CreateAsync(IGrainFactory grains, int providers)
    {
        var clinicId = TestData.NewId("wait");
        var clinic = grains.GetGrain<IClinicGrain>(clinicId);
        Assert.True((await clinic.CreateAsync(new ClinicSettings("Waitlist clinic", "UTC",
            [new AppointmentType("checkup", 30, 10)], BookingPolicy.Default))).IsSuccess);
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(7, 0), new TimeOnly(19, 0))).ToList();
        for (var p = 0; p < providers; p++)
        {
            Assert.True((await clinic.AddProviderAsync($"prv-{p}", new ProviderProfile($"Dr. {p}", "General", hours, []))).IsSuccess);
        }

        return new WaitlistClinic(grains, clinicId, providers);
    }

    /// <summary>Creates patients {prefix}-0.. concurrently (16 at a time).</summary>
    public async Task<List<string>> AddPatientsAsync(string prefix, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            Assert.True((await Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(ClinicId, id))
                .CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess));
        return ids;
    }

    /// <summary>Every patient joins for a checkup with any provider in the next 30 days from <see cref="FirstDay"/>, in order.</summary>
    public async Task JoinAsync(IEnumerable<string> patients)
    {
        foreach (var patient in patients)
        {
            var joined = await Waitlist.JoinAsync(new JoinWaitlist(patient, "checkup", null, FirstDay, FirstDay.AddDays(30)));
            Assert.True(joined.IsSuccess, joined.Error?.Message);
        }
    }

    /// <summary>Books one visit per holder, spread over the providers (45-minute steps from 07:00, then the next days), concurrently.</summary>
    public async Task<List<IAppointmentGrain>> BookAsync(IReadOnlyList<string> holders)
    {
        var day = new DateTimeOffset(FirstDay.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero);
        return [.. await Task.WhenAll(holders.Select(async (holder, i) =>
        {
            var (provider, slot) = (i % Providers, i / Providers);
            var start = day.AddDays(slot / 16).AddMinutes(45 * (slot % 16));
            var grain = Grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(ClinicId, Identifiers.New("apt")));
            var booked = await grain.BookAsync(new BookAppointment(holder, $"prv-{provider}", "checkup", start), null);
            Assert.True(booked.IsSuccess, booked.Error?.Message);
            return grain;
        }))];
    }
}
