using System.Globalization;

namespace ClinicCluster.LoadGen;

/// <summary>
/// hold-race (issue 24): every connection is its own patient racing for one provider's few slots
/// through checkout holds, as a shop's checkout would: hold slot <c>i mod slots</c>, and on a 201
/// book it with the hold's id. Exactly one hold per slot may be granted and each granted hold
/// becomes the slot's one booking; a hold granted twice or a booking beyond the slot count is a
/// double booking.
/// </summary>
public sealed partial class Scenario
{
    private long _holds;
    private long _holdBookingsRefused;

    private async Task<int> HoldRaceAsync(long i, CancellationToken cancellationToken)
    {
        var start = clinic.SlotStart(_firstDay, i % slots);
        var patient = clinic.Patients[(int)(i % clinic.Patients.Count)];
        var (status, body) = await api.PostJsonAsync($"/api/clinics/{clinic.Id}/holds",
            new { patientId = patient, providerId = clinic.Providers[0], appointmentType = SeededClinic.Checkup, start = ClinicClient.Time(start), minutes = 5 },
            cancellationToken);
        if (status != 201 || body?["id"]?.GetValue<string>() is not { } holdId)
        {
            return status;
        }

        Interlocked.Increment(ref _holds);
        var booked = await api.SendAsync(HttpMethod.Post, $"/api/clinics/{clinic.Id}/appointments",
            new { patientId = patient, providerId = clinic.Providers[0], appointmentType = SeededClinic.Checkup, start = ClinicClient.Time(start), holdId },
            $"{runId}-hold-{i.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        if (booked != 201)
        {
            Interlocked.Increment(ref _holdBookingsRefused);
        }

        return Count(booked);
    }

    private Dictionary<string, object> HoldRaceChecks() => new()
    {
        ["slots"] = slots,
        ["holds"] = Interlocked.Read(ref _holds),
        ["created"] = Created,
        ["heldButNotBooked"] = Interlocked.Read(ref _holdBookingsRefused),
        ["doubleBookings"] = Math.Max(0, Created - slots) + Math.Max(0, Interlocked.Read(ref _holds) - slots),
    };
}
