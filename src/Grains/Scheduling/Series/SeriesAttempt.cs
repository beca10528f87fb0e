using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One attempt at booking a series: which occurrences are held, booked (now or by an earlier
/// attempt) or in conflict. Plain bookkeeping for <see cref="SeriesGrain"/>, which serialises it.
/// </summary>
public sealed class SeriesAttempt(BookSeries request, IReadOnlyList<DateTimeOffset> starts, string seriesId, string timeZone)
{
    private readonly string?[] _holds = new string?[starts.Count];
    private readonly bool[] _booked = new bool[starts.Count];
    private readonly bool[] _bookedBefore = new bool[starts.Count];
    private readonly List<SeriesConflict> _conflicts = [];

    public BookSeries Request { get; } = request;

    public int Count => starts.Count;

    /// <summary>The occurrences not booked, in date order.</summary>
    public IReadOnlyList<SeriesConflict> Conflicts => _conflicts.OrderBy(c => c.Start).ToList();

    public string AppointmentId(int index) => SeriesIds.Occurrence(seriesId, index);

    public PlaceHold HoldRequest(int index) =>
        new(Request.PatientId, Request.ProviderId, Request.AppointmentType, starts[index], HoldLimits.MaxMinutes);

    public BookAppointment Booking(int index, string holdId) =>
        new(Request.PatientId, Request.ProviderId, Request.AppointmentType, starts[index], Request.Reason, holdId);

    public void AlreadyBooked(int index) => _booked[index] = _bookedBefore[index] = true;

    public void Held(int index, string holdId) => _holds[index] = holdId;

    public void Booked(int index)
    {
        _booked[index] = true;
        _holds[index] = null;
    }

    /// <summary>The occurrence is not free; the window rule's refusal is reported as <c>outside-booking-window</c>.</summary>
    public void Conflict(int index, Error error)
    {
        _holds[index] = null;
        var code = error.Kind == ErrorKind.Validation ? "outside-booking-window" : error.Code;
        _conflicts.Add(new SeriesConflict(ClinicTimeZones.LocalDate(timeZone, starts[index]), ClinicTimeZones.ToZoned(timeZone, starts[index]), code));
    }

    public IEnumerable<(int Index, string HoldId)> HeldOccurrences() =>
        Enumerable.Range(0, Count).Where(i => _holds[i] is not null).Select(i => (i, _holds[i]!)).ToList();

    /// <summary>Each occurrence's outcome, for the stored series.</summary>
    public IReadOnlyList<SeriesOccurrence> Outcomes() => Enumerable.Range(0, Count)
        .Select(i => new SeriesOccurrence(i, ClinicTimeZones.ToZoned(timeZone, starts[i]), AppointmentId(i),
            _booked[i] ? SeriesOccurrenceStatus.Booked : SeriesOccurrenceStatus.Skipped,
            _booked[i] ? null : _conflicts.FirstOrDefault(c => c.Start == starts[i])?.Code))
        .ToList();

    public async Task ReleaseHoldsAsync(IProviderScheduleGrain calendar)
    {
        foreach (var (_, holdId) in HeldOccurrences())
        {
            await calendar.ReleaseHoldAsync(holdId);
        }
    }

    /// <summary>
    /// All-or-nothing after a booking failed: cancels what this attempt booked (not what an earlier
    /// attempt booked: that belongs to a series the client was told about) and releases the holds.
    /// </summary>
    public async Task UndoAsync(IProviderScheduleGrain calendar, Func<int, IAppointmentGrain> appointment)
    {
        await ReleaseHoldsAsync(calendar);
        for (var i = 0; i < Count; i++)
        {
            if (_booked[i] && !_bookedBefore[i])
            {
                await appointment(i).CancelAsync(null, CancellationReasonCode.EnteredInError);
            }
        }
    }
}
