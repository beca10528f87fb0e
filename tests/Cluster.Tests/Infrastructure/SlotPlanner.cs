namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// Hands out bookings that can never collide: booking <c>i</c> goes to provider <c>i mod P</c> at
/// slot <c>i div P</c>, and a slot number maps to exactly one time (consecutive visits through
/// the working day, then the next day). A patient (<c>i mod N</c>, N ≥ P) recurs only at a
/// different slot number, so a patient is never booked twice at once either. A 409 in such a
/// load therefore means the cluster lost track of its own state.
/// </summary>
public sealed class SlotPlanner
{
    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyList<string> _providers;
    private readonly IReadOnlyList<string> _patients;
    private readonly string _appointmentType;
    private readonly int _durationMinutes;
    private readonly TimeOnly _dayStart;
    private readonly int _slotsPerDay;
    private readonly DateOnly _firstDay;
    private readonly string _keyPrefix;

    public SlotPlanner(
        string timeZone,
        IReadOnlyList<string> providers,
        IReadOnlyList<string> patients,
        string appointmentType,
        int durationMinutes,
        TimeOnly dayStart,
        TimeOnly dayEnd,
        string keyPrefix)
    {
        if (patients.Count < providers.Count)
        {
            throw new ArgumentException("Need at least as many patients as providers.", nameof(patients));
        }

        _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        _providers = providers;
        _patients = patients;
        _appointmentType = appointmentType;
        _durationMinutes = durationMinutes;
        _dayStart = dayStart;
        _slotsPerDay = (int)((dayEnd - dayStart).TotalMinutes / durationMinutes);
        _keyPrefix = keyPrefix;

        // Tomorrow in the clinic's zone: every slot is in the future, whatever the time of day now.
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _zone);
        _firstDay = DateOnly.FromDateTime(today.DateTime).AddDays(1);
    }

    public BookingRequest this[int index]
    {
        get
        {
            var provider = _providers[index % _providers.Count];
            var patient = _patients[index % _patients.Count];
            var slot = index / _providers.Count;
            var day = _firstDay.AddDays(slot / _slotsPerDay);
            var local = day.ToDateTime(_dayStart).AddMinutes(slot % _slotsPerDay * _durationMinutes);
            var start = new DateTimeOffset(local, _zone.GetUtcOffset(local));
            return new BookingRequest($"{_keyPrefix}-{index}", patient, provider, _appointmentType, start);
        }
    }
}
