using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Domain.Tests;

public sealed class ClinicRulesTests
{
    private static readonly ClinicSettings ValidSettings = new(
        "Downtown Family Clinic",
        "America/New_York",
        [new AppointmentType("Follow-up", 30, 10), new AppointmentType("New patient", 60, 15)],
        BookingPolicy.Default);

    private static readonly ProviderProfile ValidProfile = new(
        "Dr. Ada Lovelace",
        "Family medicine",
        [
            new WorkingHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 0)),
            new WorkingHours(DayOfWeek.Monday, new TimeOnly(13, 0), new TimeOnly(17, 0)),
            new WorkingHours(DayOfWeek.Tuesday, new TimeOnly(9, 0), new TimeOnly(17, 0)),
        ],
        [
            new TimeOff(
                new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 7, 8, 0, 0, 0, TimeSpan.Zero)),
        ]);

    private static IReadOnlyDictionary<string, string[]> Fields(ValidationErrors errors)
    {
        var error = errors.ToError();
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("validation", error.Code);
        Assert.NotNull(error.Fields);
        return error.Fields;
    }

    [Fact]
    public void Valid_settings_produce_no_errors()
    {
        var errors = ClinicRules.Validate(ValidSettings);

        Assert.True(errors.IsEmpty);
        Assert.Null(errors.ToError());
    }

    [Fact]
    public void Blank_clinic_name_is_an_error_on_name()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with { Name = "  " }));

        Assert.Equal(["name"], fields.Keys);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("EST5EDT6")]
    [InlineData("")]
    public void Unknown_time_zone_is_an_error_on_time_zone(string timeZone)
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with { TimeZone = timeZone }));

        Assert.Equal(["timeZone"], fields.Keys);
    }

    [Fact]
    public void Empty_appointment_types_is_an_error_on_appointment_types()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with { AppointmentTypes = [] }));

        Assert.Equal(["appointmentTypes"], fields.Keys);
    }

    [Fact]
    public void Zero_duration_is_an_error_on_that_types_duration()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with
        {
            AppointmentTypes = [new AppointmentType("Follow-up", 0, 10), new AppointmentType("New patient", 60, 15)],
        }));

        Assert.Equal(["appointmentTypes[0].durationMinutes"], fields.Keys);
    }

    [Fact]
    public void Negative_buffer_is_an_error_on_that_types_buffer()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with
        {
            AppointmentTypes = [new AppointmentType("Follow-up", 30, 10), new AppointmentType("New patient", 60, -1)],
        }));

        Assert.Equal(["appointmentTypes[1].bufferMinutes"], fields.Keys);
    }

    [Fact]
    public void Duplicate_type_names_ignoring_case_are_an_error_on_the_later_name()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with
        {
            AppointmentTypes = [new AppointmentType("Follow-up", 30, 10), new AppointmentType("FOLLOW-UP", 45, 0)],
        }));

        Assert.Equal(["appointmentTypes[1].name"], fields.Keys);
    }

    [Theory]
    [InlineData(4, "policy.slotIntervalMinutes")]
    [InlineData(241, "policy.slotIntervalMinutes")]
    public void Slot_interval_out_of_range_is_an_error_on_the_policy_field(int interval, string key)
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with
        {
            Policy = BookingPolicy.Default with { SlotIntervalMinutes = interval },
        }));

        Assert.Equal([key], fields.Keys);
    }

    [Fact]
    public void Every_policy_field_out_of_range_is_reported_under_its_own_key()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with
        {
            Policy = new BookingPolicy(-1, 0, 43_201, 0, CheckInOpensMinutes: 1441, CheckInGraceMinutes: -1, NoShowGraceMinutes: 721),
        }));

        Assert.Equal(
            ["policy.cancellationCutoffMinutes", "policy.checkInGraceMinutes", "policy.checkInOpensMinutes", "policy.maximumHorizonDays",
                "policy.minimumNoticeMinutes", "policy.noShowGraceMinutes", "policy.slotIntervalMinutes"],
            fields.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(1440, 720, 720, true)]
    [InlineData(-1, 30, 15, false)]
    [InlineData(1441, 30, 15, false)]
    [InlineData(120, 721, 15, false)]
    [InlineData(120, 30, -1, false)]
    public void Visit_time_fields_are_checked_against_their_ranges(int opens, int grace, int noShow, bool valid)
    {
        var errors = ClinicRules.Validate(ValidSettings with
        {
            Policy = BookingPolicy.Default with { CheckInOpensMinutes = opens, CheckInGraceMinutes = grace, NoShowGraceMinutes = noShow },
        });

        Assert.Equal(valid, errors.IsEmpty);
    }

    [Fact]
    public void Missing_policy_is_an_error_on_policy()
    {
        var fields = Fields(ClinicRules.Validate(ValidSettings with { Policy = null! }));

        Assert.Equal(["policy"], fields.Keys);
    }

    [Fact]
    public void Valid_provider_profile_produces_no_errors()
    {
        Assert.True(ClinicRules.Validate(ValidProfile).IsEmpty);
    }

    [Fact]
    public void Blank_provider_name_is_an_error_on_name()
    {
        var fields = Fields(ClinicRules.Validate(ValidProfile with { Name = "" }));

        Assert.Equal(["name"], fields.Keys);
    }

    [Theory]
    [InlineData(9, 9)]
    [InlineData(17, 9)]
    public void Working_window_ending_at_or_before_its_start_is_an_error_on_its_end(int startHour, int endHour)
    {
        var fields = Fields(ClinicRules.Validate(ValidProfile with
        {
            WorkingHours = [new WorkingHours(DayOfWeek.Monday, new TimeOnly(startHour, 0), new TimeOnly(endHour, 0))],
        }));

        Assert.Equal(["workingHours[0].end"], fields.Keys);
    }

    [Fact]
    public void Overlapping_windows_of_the_same_day_are_an_error_on_the_later_window()
    {
        var fields = Fields(ClinicRules.Validate(ValidProfile with
        {
            WorkingHours =
            [
                new WorkingHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 0)),
                new WorkingHours(DayOfWeek.Monday, new TimeOnly(11, 30), new TimeOnly(14, 0)),
            ],
        }));

        Assert.Equal(["workingHours[1]"], fields.Keys);
    }

    [Fact]
    public void Adjacent_windows_and_same_hours_on_other_days_do_not_overlap()
    {
        var errors = ClinicRules.Validate(ValidProfile with
        {
            WorkingHours =
            [
                new WorkingHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 0)),
                new WorkingHours(DayOfWeek.Monday, new TimeOnly(12, 0), new TimeOnly(14, 0)),
                new WorkingHours(DayOfWeek.Tuesday, new TimeOnly(9, 0), new TimeOnly(12, 0)),
            ],
        });

        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Undefined_day_is_an_error_on_that_windows_day()
    {
        var fields = Fields(ClinicRules.Validate(ValidProfile with
        {
            WorkingHours = [new WorkingHours((DayOfWeek)7, new TimeOnly(9, 0), new TimeOnly(12, 0))],
        }));

        Assert.Equal(["workingHours[0].day"], fields.Keys);
    }

    [Fact]
    public void Time_off_ending_at_or_before_its_start_is_an_error_on_its_end()
    {
        var start = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var fields = Fields(ClinicRules.Validate(ValidProfile with { TimeOff = [new TimeOff(start, start)] }));

        Assert.Equal(["timeOff[0].end"], fields.Keys);
    }
}
