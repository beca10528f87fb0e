using System.Globalization;

namespace ClinicCluster.LoadGen;

/// <summary>
/// A clinic this run creates through the API: a 30-minute checkup, providers working 08:00-18:00
/// every day, no notice limits, and synthetic patients (no real PHI). Each run has its own clinic,
/// so runs never see each other's bookings.
/// </summary>
public sealed record SeededClinic(string Id, TimeZoneInfo Zone, IReadOnlyList<string> Providers, IReadOnlyList<string> Patients)
{
    /// <summary>The patients' MRNs, in the order of <see cref="Patients"/> (the mrn scenario looks them up).</summary>
    public IReadOnlyList<string> Mrns { get; init; } = [];

    public const string Checkup = "checkup";
    public const int SlotMinutes = 30;
    public const int SlotsPerDay = 20;
    private static readonly TimeOnly DayStart = new(8, 0);

    public static async Task<SeededClinic> CreateAsync(ClinicClient api, string scenario, int providers, int patients)
    {
        var id = $"load-{scenario}-{Guid.NewGuid():N}"[..32];
        const string timeZone = "America/New_York";
        await api.CreateAsync("/api/clinics", new
        {
            id,
            name = "Load clinic",
            timeZone,
            appointmentTypes = new[] { new { name = Checkup, durationMinutes = SlotMinutes, bufferMinutes = 0 } },
            policy = new { minimumNoticeMinutes = 0, maximumHorizonDays = 365, cancellationCutoffMinutes = 0, slotIntervalMinutes = 15 },
        }, conflictAfter503IsCreated: true);

        var workingHours = Enum.GetValues<DayOfWeek>()
            .Select(day => new { day = day.ToString().ToLowerInvariant(), start = "08:00:00", end = "18:00:00" })
            .ToArray();
        var providerIds = new string[providers];
        await Parallel.ForAsync(0, providers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var created = await api.CreateAsync($"/api/clinics/{id}/providers",
                new { name = $"Provider {i}", specialty = "family medicine", workingHours, timeOff = Array.Empty<object>() });
            providerIds[i] = created?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("provider without id");
        });

        var mrnPrefix = Guid.NewGuid().ToString("N")[..8];
        var patientIds = new string[patients];
        var mrns = new string[patients];
        await Parallel.ForAsync(0, patients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var created = await api.CreateAsync($"/api/clinics/{id}/patients", attempt => new
            {
                mrn = $"{mrnPrefix}-{i.ToString("D6", CultureInfo.InvariantCulture)}-{attempt.ToString(CultureInfo.InvariantCulture)}",
                givenName = "Load",
                familyName = "Patient" + i.ToString(CultureInfo.InvariantCulture),
                birthDate = "1980-01-01",
                sex = "other",
            });
            patientIds[i] = created?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("patient without id");
            mrns[i] = created?["demographics"]?["mrn"]?.GetValue<string>() ?? "";
        });

        return new SeededClinic(id, TimeZoneInfo.FindSystemTimeZoneById(timeZone), providerIds, patientIds) { Mrns = mrns };
    }

    /// <summary>Subscribes the clinic's webhooks (every appointment event) to <paramref name="url"/>.</summary>
    public Task SubscribeAsync(ClinicClient api, Uri url) => api.CreateAsync($"/api/clinics/{Id}/webhooks", new
    {
        url = url.ToString(),
        eventTypes = new[] { "appointment.booked", "appointment.rescheduled", "appointment.cancelled", "appointment.checked-in", "appointment.no-show" },
    });

    /// <summary>Tomorrow in the clinic's zone: every slot from there on is in the future.</summary>
    public DateOnly FirstDay => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime).AddDays(1);

    /// <summary>Slot number <paramref name="slot"/> of a provider: consecutive visits through each day, then the next day.</summary>
    public DateTimeOffset SlotStart(DateOnly firstDay, long slot)
    {
        var day = firstDay.AddDays((int)(slot / SlotsPerDay));
        var local = day.ToDateTime(DayStart).AddMinutes(slot % SlotsPerDay * SlotMinutes);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
