using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

public sealed class BookingRulesTests
{
    [Theory]
    [InlineData(119, false)]
    [InlineData(120, true)]
    [InlineData(30 * 24 * 60, true)]
    [InlineData(30 * 24 * 60 + 1, false)]
    public void The_window_runs_from_the_minimum_notice_to_the_horizon(int minutesAhead, bool allowed)
    {
        Assert.Equal(allowed, BookingRules.CheckWindow(Policy, Now.AddMinutes(minutesAhead), Now) is null);
    }

    [Theory]
    [InlineData(1439, AppointmentStatus.Booked, true)]
    [InlineData(1440, AppointmentStatus.Booked, false)]
    [InlineData(10, AppointmentStatus.CheckedIn, false)]
    public void The_cancellation_cutoff_binds_booked_visits(int minutesAhead, AppointmentStatus status, bool refused)
    {
        Assert.Equal(refused, BookingRules.CheckCancellation(Policy, status, Now.AddMinutes(minutesAhead), Now) is not null);
    }

    [Fact]
    public void A_request_needs_ids_a_type_and_a_short_reason()
    {
        var error = BookingRules.Validate(new BookAppointment("not an id!", "", " ", Start, new string('x', 501)))!;

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(["appointmentType", "patientId", "providerId", "reason"], error.Fields!.Keys.Order());
        Assert.Null(BookingRules.Validate(new BookAppointment("pat-1", "prv-1", "checkup", Start)));
    }
}
