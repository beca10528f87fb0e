using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// A fresh clinic for one test: New York time, one "checkup" type (30 minutes plus a 10-minute
/// buffer) and, unless told otherwise, <see cref="BookingPolicy.Default"/>.
/// </summary>
internal sealed class TestClinic
{
    public const string TimeZone = "America/New_York";
    public const string Checkup = "checkup";
    public const int CheckupMinutes = 30;
    public const int CheckupBufferMinutes = 10;

    /// <summary>New York's offset all summer (every date the tests book is between June and October).</summary>
    public static readonly TimeSpan Edt = TimeSpan.FromHours(-4);

    private TestClinic(IGrainFactory grains, string id)
    {
        Grains = grains;
        Id = id;
    }

    public IGrainFactory Grains { get; }

    public string Id { get; }

    public IClinicGrain Grain => Grains.GetGrain<IClinicGrain>(Id);

    public IPatientDirectoryGrain Directory => Grains.GetGrain<IPatientDirectoryGrain>(Id);

    public static string NewClinicId() => "t-" + Guid.NewGuid().ToString("N");

    public static string NewId(string prefix) => Identifiers.New(prefix);

    public static ClinicSettings Settings(BookingPolicy? policy = null) => new(
        "Test clinic",
        TimeZone,
        new[] { new AppointmentType(Checkup, CheckupMinutes, CheckupBufferMinutes) },
        policy ?? BookingPolicy.Default);

    public static ProviderProfile Profile(TimeOnly? start = null, TimeOnly? end = null, params TimeOff[] timeOff) => new(
        "Dr. Test",
        "Family medicine",
        Enum.GetValues<DayOfWeek>()
            .Select(day => new WorkingHours(day, start ?? new TimeOnly(9, 0), end ?? new TimeOnly(17, 0)))
            .ToArray(),
        timeOff);

    public static PatientDemographics Demographics(string mrn, string givenName = "Test", string familyName = "Patient") =>
        new(mrn, givenName, familyName, new DateOnly(1980, 5, 17), AdministrativeSex.Female);

    /// <summary>A local date a number of days after the fake clock's start (2026-06-01, a Monday).</summary>
    public static DateOnly Day(int daysAfterStart) =>
        DateOnly.FromDateTime(ClusterFixture.StartInstant.UtcDateTime).AddDays(daysAfterStart);

    /// <summary>A wall-clock time in New York on a summer date.</summary>
    public static DateTimeOffset Local(DateOnly date, int hour, int minute = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute)), Edt);

    /// <summary>The first instant on the 15-minute grid at or after <paramref name="instant"/>.</summary>
    public static DateTimeOffset NextQuarterHour(DateTimeOffset instant)
    {
        var quarter = TimeSpan.FromMinutes(15).Ticks;
        var ticks = (instant.UtcTicks + quarter - 1) / quarter * quarter;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// Moves the shared fake clock forward to <paramref name="instant"/> (never back). Keep the moves
    /// small: other tests book days ahead of the clock.
    /// </summary>
    public static void AdvanceClockTo(DateTimeOffset instant)
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        if (instant > now)
        {
            ClusterFixture.Clock.Advance(instant - now);
        }
    }

    /// <summary>
    /// Writes a checkup straight into the clinic's ledger, at any time and in any status: a visit
    /// that started hours ago cannot be booked through the policy, and moving the shared clock hours
    /// forward would disturb the other tests. The calendars learn it from the next verb or reconciliation.
    /// </summary>
    public async Task<string> SeedAsync(string patientId, string providerId, DateTimeOffset start, AppointmentStatus status)
    {
        var id = NewId("appt");
        var end = start.AddMinutes(CheckupMinutes);
        var now = ClusterFixture.Clock.GetUtcNow();
        var row = new LedgerRow(Id, id, patientId, providerId, Checkup, start, end, CheckupBufferMinutes, status, TimeZone, null, null, null,
            now, now, start, end, Version: 1);
        Assert.Equal(LedgerWriteOutcome.Written, (await Grains.GetGrain<IMemoryLedgerGrain>(Id).InsertAsync(row)).Outcome);
        return id;
    }

    public static async Task<TestClinic> CreateAsync(IGrainFactory grains, BookingPolicy? policy = null)
    {
        var clinic = new TestClinic(grains, NewClinicId());
        var created = await clinic.Grain.CreateAsync(Settings(policy));
        Assert.True(created.IsSuccess, $"Creating the clinic failed: {created.Error}");
        return clinic;
    }

    /// <summary>Adds a provider working every day of the week, 09:00-17:00 unless told otherwise.</summary>
    public async Task<string> AddProviderAsync(TimeOnly? start = null, TimeOnly? end = null, params TimeOff[] timeOff)
    {
        var providerId = NewId("prov");
        var added = await Grain.AddProviderAsync(providerId, Profile(start, end, timeOff));
        Assert.True(added.IsSuccess, $"Adding a provider failed: {added.Error}");
        return providerId;
    }

    public async Task<string> AddPatientAsync(string? mrn = null, string givenName = "Test", string familyName = "Patient")
    {
        var patientId = NewId("pat");
        var created = await Patient(patientId).CreateAsync(Demographics(mrn ?? NewMrn(), givenName, familyName));
        Assert.True(created.IsSuccess, $"Creating a patient failed: {created.Error}");
        return patientId;
    }

    public static string NewMrn() => "MRN-" + Guid.NewGuid().ToString("N")[..12];

    public IPatientGrain Patient(string patientId) => Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(Id, patientId));

    public IAppointmentGrain Appointment(string appointmentId) =>
        Grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(Id, appointmentId));

    public IProviderScheduleGrain ProviderSchedule(string providerId) =>
        Grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(Id, providerId));

    public IPatientScheduleGrain PatientSchedule(string patientId) =>
        Grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(Id, patientId));

    /// <summary>Books a checkup under a new appointment id.</summary>
    public Task<Result<Appointment>> BookAsync(string patientId, string providerId, DateTimeOffset start) =>
        BookAsync(NewId("appt"), patientId, providerId, start);

    public Task<Result<Appointment>> BookAsync(
        string appointmentId, string patientId, string providerId, DateTimeOffset start, string? fingerprint = null) =>
        Appointment(appointmentId).BookAsync(new BookAppointment(patientId, providerId, Checkup, start), fingerprint);
}

/// <summary>Assertions on <see cref="Result{T}"/>.</summary>
internal static class ResultAssert
{
    public static T Success<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, $"Expected success but got {result.Error}");
        Assert.NotNull(result.Value);
        return result.Value;
    }

    public static Error Failure<T>(Result<T> result, ErrorKind kind, string? code = null)
    {
        Assert.False(result.IsSuccess, $"Expected a {kind} refusal but the command succeeded with {result.Value}");
        var error = result.Error!;
        Assert.Equal(kind, error.Kind);
        if (code is not null)
        {
            Assert.Equal(code, error.Code);
        }

        return error;
    }
}
