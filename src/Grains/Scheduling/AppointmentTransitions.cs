namespace ClinicCluster.Scheduling;

/// <summary>
/// The legal status changes of an appointment (FHIR R4 names):
/// booked -> checked-in -> fulfilled; booked | checked-in -> cancelled; booked -> noshow.
/// </summary>
public static class AppointmentTransitions
{
    private static readonly Dictionary<AppointmentStatus, AppointmentStatus[]> Allowed = new()
    {
        [AppointmentStatus.Booked] = [AppointmentStatus.CheckedIn, AppointmentStatus.Cancelled, AppointmentStatus.NoShow],
        [AppointmentStatus.CheckedIn] = [AppointmentStatus.Fulfilled, AppointmentStatus.Cancelled],
        [AppointmentStatus.Fulfilled] = [],
        [AppointmentStatus.Cancelled] = [],
        [AppointmentStatus.NoShow] = [],
    };

    public static bool CanMove(AppointmentStatus from, AppointmentStatus to) => Allowed[from].Contains(to);

    /// <summary>Whether an appointment in this status occupies its slot.</summary>
    public static bool IsActive(AppointmentStatus status) =>
        status is AppointmentStatus.Booked or AppointmentStatus.CheckedIn;

    /// <summary>Only a booked appointment can be moved to another time.</summary>
    public static bool CanReschedule(AppointmentStatus status) => status == AppointmentStatus.Booked;

    /// <summary>The FHIR name of a status, as shown to clients.</summary>
    public static string Name(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Booked => "booked",
        AppointmentStatus.CheckedIn => "checked-in",
        AppointmentStatus.Fulfilled => "fulfilled",
        AppointmentStatus.Cancelled => "cancelled",
        AppointmentStatus.NoShow => "noshow",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
