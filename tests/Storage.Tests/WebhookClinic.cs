using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using ClinicCluster.Webhooks;

namespace ClinicCluster.Storage.Tests;

/// <summary>Silo settings of the webhook suites: the loopback http receiver allowed, short timings.</summary>
internal static class WebhookSilo
{
    public static Dictionary<string, string?> Settings => new()
    {
        ["Webhooks:AllowPrivateAddresses"] = "true",
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:DeliveryTimeout"] = "00:00:01",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.050",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.500",
        ["Webhooks:MaxConcurrencyPerSubscriber"] = "8",
    };
}

/// <summary>A UTC clinic with providers p0..pN open all week, one patient per provider (so patients never overlap).</summary>
internal sealed record WebhookClinic(string ClinicId, int Providers)
{
    public static async Task<WebhookClinic> CreateAsync(IGrainFactory grains, int providers)
    {
        var clinicId = TestData.NewId("hooks");
        var clinic = grains.GetGrain<IClinicGrain>(clinicId);
        Assert.True((await clinic.CreateAsync(new ClinicSettings("Webhook clinic", "UTC",
            [new AppointmentType("checkup", 30, 10)], BookingPolicy.Default))).IsSuccess);
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(7, 0), new TimeOnly(19, 0))).ToList();
        for (var p = 0; p < providers; p++)
        {
            Assert.True((await clinic.AddProviderAsync($"prv-{p}", new ProviderProfile($"Dr. {p}", "General", hours, []))).IsSuccess);
            Assert.True((await grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, $"pat-{p}"))
                .CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess);
        }

        return new WebhookClinic(clinicId, providers);
    }

    public static async Task<WebhookSecretIssued> SubscribeAsync(IGrainFactory grains, string clinicId, string url)
    {
        var created = await grains.GetGrain<IWebhookSubscriptionsGrain>(clinicId).CreateAsync(
            new CreateWebhookSubscription(url, ["appointment.booked", "appointment.rescheduled", "appointment.cancelled"]));
        return created.Value ?? throw new InvalidOperationException(created.Error?.Message);
    }

    /// <summary>Visits of a provider per day: 45-minute steps from 07:00 to 19:00.</summary>
    public const int SlotsPerDay = 16;

    /// <summary>Bookings (and other calls of the scale run) in flight at once: thousands at once only measure the silo's queue.</summary>
    public const int MaxInFlight = 64;

    /// <summary>Books slots firstSlot.. of every provider (45-minute steps from 07:00 a week ahead, then the next days), concurrently.</summary>
    public async Task<List<(IAppointmentGrain Grain, DateTimeOffset Start)>> BookAsync(IGrainFactory grains, int perProvider, int firstSlot = 0)
    {
        var day = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(7).AddHours(7), TimeSpan.Zero);
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var work = new List<Task<(IAppointmentGrain, DateTimeOffset)>>();
        for (var p = 0; p < Providers; p++)
        {
            for (var k = firstSlot; k < firstSlot + perProvider; k++)
            {
                var (provider, slot) = ($"prv-{p}", k);
                work.Add(Task.Run(async () =>
                {
                    var start = day.AddDays(slot / SlotsPerDay).AddMinutes(45 * (slot % SlotsPerDay));
                    var grain = grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(ClinicId, Identifiers.New("apt")));
                    await inFlight.WaitAsync();
                    try
                    {
                        var booked = await grain.BookAsync(new BookAppointment($"pat-{provider[4..]}", provider, "checkup", start), null);
                        Assert.True(booked.IsSuccess, booked.Error?.Message);
                        return (grain, start);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }));
            }
        }

        return [.. await Task.WhenAll(work)];
    }
}
