using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>Rows and contexts for the scheduling rule tests: a 30-minute checkup with a 10-minute buffer, in UTC.</summary>
internal static class SchedulingSamples
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Start = Now.AddDays(2);
    public static readonly BookingPolicy Policy = new(MinimumNoticeMinutes: 120, MaximumHorizonDays: 30, CancellationCutoffMinutes: 1440, SlotIntervalMinutes: 15);

    public static readonly VisitTimeRules Rules = new(Policy, "UTC");

    public static SchedulingContext Context(int minutes = 30, int buffer = 10) => new("UTC", Policy, new AppointmentType("checkup", minutes, buffer),
        new ProviderProfile("Dr. A", "General", [], []));

    public static LedgerRow Row(string id = "apt-1", string patient = "pat-1", string provider = "prv-1", DateTimeOffset? start = null,
        AppointmentStatus status = AppointmentStatus.Booked, int buffer = 10)
    {
        var from = start ?? Start;
        return new LedgerRow("c-1", id, patient, provider, "checkup", from, from.AddMinutes(30), buffer, status, "UTC", "annual", null, "fp",
            Now, Now, from, from.AddMinutes(30), Version: 1);
    }
}
