using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// A provider's slots of one visit type in a window, computed from the grains on each request (no
/// second store): free ones are the provider calendar's open slots (working hours, time off, other
/// visits and their buffers, the booking policy: what a booking would find now); busy ones are the
/// provider's appointments of that type in the ledger that are not cancelled. A slot held by a
/// booking in flight is neither, until that booking commits or fails.
/// </summary>
public static class ProviderSlots
{
    public static async Task<Result<IReadOnlyList<SlotEntry>>> ListAsync(
        IGrainFactory grains, string clinicId, string providerId, string appointmentType, SlotWindow window, bool free, bool busy)
    {
        var calendar = grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, providerId));
        var entries = new List<SlotEntry>();
        if (free)
        {
            var open = await calendar.GetAvailabilityAsync(window.FromDate, window.ToDate, appointmentType);
            if (open.Value is not { } slots)
            {
                return open.Error!;
            }

            entries.AddRange(slots.Where(s => window.Contains(s.Start)).Select(s => new SlotEntry(s.Start, s.End, Busy: false)));
        }

        if (busy)
        {
            var booked = await calendar.ListAsync(window.From, window.To);
            entries.AddRange(booked
                .Where(a => a.Status != AppointmentStatus.Cancelled && window.Contains(a.Start)
                    && string.Equals(a.AppointmentType, appointmentType, StringComparison.OrdinalIgnoreCase))
                .Select(a => new SlotEntry(a.Start, a.End, Busy: true)));
        }

        // One provider's visits never overlap and an open slot never overlaps a visit, so the start orders and identifies a slot.
        return entries.OrderBy(e => e.Start).DistinctBy(e => e.Start.UtcTicks).ToList();
    }
}

/// <summary>One slot of a provider: its instants and whether a visit takes it.</summary>
public sealed record SlotEntry(DateTimeOffset Start, DateTimeOffset End, bool Busy);
