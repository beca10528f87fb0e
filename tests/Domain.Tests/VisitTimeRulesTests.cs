using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>
/// Every verb in every time window of a visit (issue 26): check-in, completion, no-show and the
/// cancellation of a checked-in visit, before check-in opens, inside, after check-in closes, and on
/// both DST change days in New York. The clinic's policy is the default: check-in from 120 minutes
/// before the start to 30 after the end, a no-show from 15 minutes after the start.
/// </summary>
public sealed class VisitTimeRulesTests
{
    private const string NewYork = "America/New_York";

    public enum Window
    {
        BeforeOpening,
        AtOpening,
        AtStart,
        AfterNoShowGrace,
        AtClosing,
        AfterClosing,
    }

    private static readonly VisitTimeRules Rules = new(BookingPolicy.Default, NewYork);

    // The codes of FHIR R4's appointment-cancellation-reason code system (terminology.hl7.org).
    private static readonly HashSet<string> FhirR4Codes =
    [
        "pat", "pat-crs", "pat-cpp", "pat-dec", "pat-fb", "pat-lt", "pat-mt", "pat-mv", "pat-preg", "pat-swl", "pat-ucp",
        "prov", "prov-pers", "prov-dch", "prov-edu", "prov-hosp", "prov-labs", "prov-mri", "prov-onc",
        "maint", "meds-inc", "other", "oth-cms", "oth-err", "oth-fin", "oth-iv", "oth-int", "oth-mu", "oth-room", "oth-oerr", "oth-swie", "oth-weath",
    ];

    // A Monday in winter (UTC-5): 10:00-10:30 local.
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(-5));

    // Starts whose windows cross New York's DST changes: 03:30 EDT just after the spring gap (check-in
    // opens at 00:30 EST), and the second 01:30 (EST) of the fall-back night.
    private static readonly Dictionary<string, DateTimeOffset> Days = new(StringComparer.Ordinal)
    {
        ["winter"] = Start,
        ["spring-forward"] = new(2026, 3, 8, 3, 30, 0, TimeSpan.FromHours(-4)),
        ["fall-back"] = new(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(-5)),
    };

    private static DateTimeOffset At(Window window, DateTimeOffset start, DateTimeOffset end) => window switch
    {
        Window.BeforeOpening => start.AddMinutes(-121),
        Window.AtOpening => start.AddMinutes(-120),
        Window.AtStart => start,
        Window.AfterNoShowGrace => start.AddMinutes(15),
        Window.AtClosing => end.AddMinutes(30),
        _ => end.AddMinutes(31),
    };

    /// <summary>Each verb in each window, on a winter day and on both DST change days (the start straddles the change).</summary>
    public static TheoryData<string, AppointmentStatus, Window, string?> VerbsByWindow()
    {
        (AppointmentStatus, Window, string?)[] cases =
        [
            (AppointmentStatus.CheckedIn, Window.BeforeOpening, "check-in-not-open"),
            (AppointmentStatus.CheckedIn, Window.AtOpening, null),
            (AppointmentStatus.CheckedIn, Window.AtStart, null),
            (AppointmentStatus.CheckedIn, Window.AtClosing, null),
            (AppointmentStatus.CheckedIn, Window.AfterClosing, "check-in-closed"),
            (AppointmentStatus.Fulfilled, Window.BeforeOpening, "not-started"),
            (AppointmentStatus.Fulfilled, Window.AtOpening, "not-started"),
            (AppointmentStatus.Fulfilled, Window.AtStart, null),
            (AppointmentStatus.Fulfilled, Window.AfterClosing, null),
            (AppointmentStatus.NoShow, Window.BeforeOpening, "not-started"),
            (AppointmentStatus.NoShow, Window.AtStart, "not-started"),
            (AppointmentStatus.NoShow, Window.AfterNoShowGrace, null),
            (AppointmentStatus.NoShow, Window.AfterClosing, null),
        ];
        var data = new TheoryData<string, AppointmentStatus, Window, string?>();
        foreach (var day in Days.Keys)
        {
            foreach (var (target, window, refusal) in cases)
            {
                data.Add(day, target, window, refusal);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VerbsByWindow))]
    public void Each_verb_is_allowed_only_inside_its_window(string day, AppointmentStatus target, Window window, string? refusal)
    {
        var from = target == AppointmentStatus.Fulfilled ? AppointmentStatus.CheckedIn : AppointmentStatus.Booked;
        var row = Row(Days[day], from);

        var decision = AppointmentVerbs.ChangeStatus(row, target, Rules, At(window, row.Start, row.End));

        Assert.Equal(refusal, decision.Refusal?.Code);
        if (refusal is null)
        {
            Assert.Equal(target, decision.Next!.Status);
        }
        else
        {
            Assert.Equal(ErrorKind.Conflict, decision.Refusal!.Kind);
        }
    }

    [Theory]
    [InlineData(Window.BeforeOpening)]
    [InlineData(Window.AtStart)]
    [InlineData(Window.AfterClosing)]
    public void A_checked_in_visit_is_cancelled_at_any_time_with_a_code_and_never_without(Window window)
    {
        var row = Row(Start, AppointmentStatus.CheckedIn);
        var now = At(window, row.Start, row.End);

        Assert.Equal(ErrorKind.Validation, AppointmentVerbs.Cancel(row, null, null, BookingPolicy.Default, now).Refusal!.Kind);
        Assert.Equal(CancellationReasonCode.PatientLeft,
            AppointmentVerbs.Cancel(row, null, CancellationReasonCode.PatientLeft, BookingPolicy.Default, now).Next!.CancellationCode);
    }

    [Fact]
    public void A_refusal_says_when_the_action_becomes_possible_in_the_clinic_zone()
    {
        var row = Row(Start, AppointmentStatus.Booked);

        var early = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.CheckedIn, Rules, Start.AddDays(-10)).Refusal!;
        var late = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.CheckedIn, Rules, Start.AddDays(1)).Refusal!;
        var noShow = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.NoShow, Rules, Start).Refusal!;
        var complete = AppointmentVerbs.ChangeStatus(row with { Status = AppointmentStatus.CheckedIn }, AppointmentStatus.Fulfilled, Rules, Start.AddMinutes(-1)).Refusal!;

        Assert.Contains("at 2026-12-07 08:00 -05:00 America/New_York", early.Message, StringComparison.Ordinal);
        Assert.Contains("at 2026-12-07 11:00 -05:00 America/New_York", late.Message, StringComparison.Ordinal);
        Assert.Contains("from 2026-12-07 10:15 -05:00 America/New_York", noShow.Message, StringComparison.Ordinal);
        Assert.Contains("from 2026-12-07 10:00 -05:00 America/New_York", complete.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_spring_forward_day_check_in_opens_two_elapsed_hours_before_the_start_shown_in_standard_time()
    {
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT. A 03:30 EDT visit opens at 00:30 EST (05:30Z), not at
        // 01:30 on the wall clock (06:30Z), which would give the patient one hour less.
        var start = new DateTimeOffset(2026, 3, 8, 3, 30, 0, TimeSpan.FromHours(-4));
        var row = Row(start, AppointmentStatus.Booked);

        var refused = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.CheckedIn, Rules, new DateTimeOffset(2026, 3, 8, 5, 29, 0, TimeSpan.Zero));
        var admitted = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.CheckedIn, Rules, new DateTimeOffset(2026, 3, 8, 6, 0, 0, TimeSpan.Zero));

        Assert.Equal("check-in-not-open", refused.Refusal!.Code);
        Assert.Contains("2026-03-08 00:30 -05:00 America/New_York", refused.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.CheckedIn, admitted.Next!.Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 5, 30, 0, TimeSpan.Zero), Rules.CheckInOpens(start));
    }

    [Fact]
    public void On_the_fall_back_day_the_repeated_hour_is_told_apart_by_its_offset()
    {
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST. A visit at the second 01:30 (EST, 06:30Z).
        var start = new DateTimeOffset(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(-5));
        var row = Row(start, AppointmentStatus.Booked);

        var early = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.CheckedIn, Rules, start.AddMinutes(-121)).Refusal!;
        var late = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.CheckedIn, Rules, row.End.AddMinutes(31)).Refusal!;
        var noShow = AppointmentVerbs.ChangeStatus(row, AppointmentStatus.NoShow, Rules, start.AddMinutes(-60)).Refusal!;

        Assert.Contains("2026-11-01 00:30 -04:00 America/New_York", early.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-01 02:30 -05:00 America/New_York", late.Message, StringComparison.Ordinal);
        // An hour before the visit is the first 01:30, in daylight time: the same wall clock, another instant.
        Assert.Contains("from 2026-11-01 01:45 -05:00", noShow.Message, StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.NoShow, AppointmentVerbs.ChangeStatus(row, AppointmentStatus.NoShow, Rules, start.AddMinutes(15)).Next!.Status);
        Assert.Equal("not-started",
            AppointmentVerbs.ChangeStatus(row with { Status = AppointmentStatus.CheckedIn }, AppointmentStatus.Fulfilled, Rules, start.AddMinutes(-60)).Refusal!.Code);
    }

    [Theory]
    [InlineData(2026, 3, 8, 23)]
    [InlineData(2026, 11, 1, 25)]
    [InlineData(2026, 12, 7, 24)]
    public void The_clinic_day_ends_at_the_next_local_midnight_whatever_its_length(int year, int month, int day, int hours)
    {
        var visit = new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero) + TimeSpan.FromHours(4);
        var startOfDay = Rules.StartOfClinicDay(visit);

        var end = Rules.EndOfClinicDay(visit);

        Assert.Equal(TimeSpan.FromHours(hours), end - startOfDay);
        Assert.Equal(TimeSpan.Zero, ClinicTimeZones.ToZoned(NewYork, end).TimeOfDay);
        Assert.Equal(end, Rules.StartOfClinicDay(end));
    }

    [Theory]
    [InlineData(30, 15, 30, 60)]
    [InlineData(30, 90, 0, 90)]
    [InlineData(480, 15, 0, 480)]
    public void The_sweeper_marks_a_no_show_once_check_in_closed_and_never_before_staff_could(int duration, int noShowGrace, int checkInGrace, int expectedAfterStart)
    {
        var rules = new VisitTimeRules(BookingPolicy.Default with { NoShowGraceMinutes = noShowGrace, CheckInGraceMinutes = checkInGrace }, "UTC");

        Assert.Equal(Start.AddMinutes(expectedAfterStart), rules.SweptNoShowAt(Start, Start.AddMinutes(duration)));
    }

    [Fact]
    public void Every_cancellation_code_has_a_name_and_a_fhir_r4_code()
    {
        Assert.All(CancellationReasonCodes.All, code =>
        {
            Assert.Equal(code, CancellationReasonCodes.Parse(CancellationReasonCodes.Name(code)));
            Assert.Contains(CancellationReasonCodes.Fhir(code), FhirR4Codes);
        });
        Assert.Equal("pat", CancellationReasonCodes.Fhir(CancellationReasonCode.PatientLeft));
        Assert.Equal("prov", CancellationReasonCodes.Fhir(CancellationReasonCode.ClinicianUnavailable));
        Assert.Null(CancellationReasonCodes.Parse("no-such-code"));
    }

    private static LedgerRow Row(DateTimeOffset start, AppointmentStatus status) =>
        new("c-1", "apt-1", "pat-1", "prv-1", "checkup", start, start.AddMinutes(30), 10, status, NewYork, null, null, null,
            start.AddDays(-20), start.AddDays(-20), start, start.AddMinutes(30), Version: 1);
}
