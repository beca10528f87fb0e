using System.Globalization;
using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// When a visit may be checked in, completed or marked a no-show, from the clinic's policy
/// (decision 0025). Windows are measured in elapsed minutes from the visit's instants, so a DST
/// change between them neither lengthens nor shortens a window; the clinic's zone only decides how
/// a time is shown and where the clinic day ends. Refusal details say when the action becomes
/// possible, in the clinic's local time with its offset: a time, never who the visit is for.
/// </summary>
public sealed class VisitTimeRules(BookingPolicy policy, string timeZone)
{
    public BookingPolicy Policy => policy;

    public string TimeZone => timeZone;

    /// <summary>Check-in opens this long before the start.</summary>
    public DateTimeOffset CheckInOpens(DateTimeOffset start) => start.AddMinutes(-policy.CheckInOpensMinutes);

    /// <summary>Check-in closes at the end plus the grace (inclusive).</summary>
    public DateTimeOffset CheckInCloses(DateTimeOffset end) => end.AddMinutes(policy.CheckInGraceMinutes);

    /// <summary>Staff may mark a booked visit a no-show from its start plus the no-show grace.</summary>
    public DateTimeOffset NoShowFrom(DateTimeOffset start) => start.AddMinutes(policy.NoShowGraceMinutes);

    /// <summary>
    /// When the sweeper marks a visit nobody checked in a no-show: once check-in has closed (the
    /// patient can no longer arrive), and never before staff could have marked it themselves.
    /// </summary>
    public DateTimeOffset SweptNoShowAt(DateTimeOffset start, DateTimeOffset end)
    {
        var closes = CheckInCloses(end);
        var allowed = NoShowFrom(start);
        return closes > allowed ? closes : allowed;
    }

    /// <summary>The end of the clinic day the visit starts on: the next local midnight in the clinic's zone.</summary>
    public DateTimeOffset EndOfClinicDay(DateTimeOffset start) =>
        ClinicTimeZones.StartOfDay(timeZone, ClinicTimeZones.LocalDate(timeZone, start).AddDays(1));

    /// <summary>The start of the clinic day that contains <paramref name="now"/>: visits starting before it had their day end.</summary>
    public DateTimeOffset StartOfClinicDay(DateTimeOffset now) =>
        ClinicTimeZones.StartOfDay(timeZone, ClinicTimeZones.LocalDate(timeZone, now));

    /// <summary>Why the status change cannot happen at <paramref name="now"/>, or null when its time has come.</summary>
    public Error? Check(AppointmentStatus target, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        switch (target)
        {
            case AppointmentStatus.CheckedIn when now < CheckInOpens(start):
                return Error.Conflict("check-in-not-open",
                    $"Check-in opens {policy.CheckInOpensMinutes} minutes before the start, at {Show(CheckInOpens(start))}.");
            case AppointmentStatus.CheckedIn when now > CheckInCloses(end):
                return Error.Conflict("check-in-closed",
                    $"Check-in closed {policy.CheckInGraceMinutes} minutes after the end, at {Show(CheckInCloses(end))}; "
                    + "mark the visit a no-show or reschedule it.");
            case AppointmentStatus.Fulfilled when now < start:
                return Error.Conflict("not-started", $"A visit can be completed once it has started, from {Show(start)}.");
            case AppointmentStatus.NoShow when now < NoShowFrom(start):
                return Error.Conflict("not-started",
                    $"A visit can be marked a no-show {policy.NoShowGraceMinutes} minutes after its start, from {Show(NoShowFrom(start))}.");
            default:
                return null;
        }
    }

    /// <summary>An instant as the clinic reads it: local date and time, offset and zone (2026-03-08 07:00 -04:00 America/New_York).</summary>
    public string Show(DateTimeOffset instant) =>
        ClinicTimeZones.ToZoned(timeZone, instant).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) + " " + timeZone;
}
