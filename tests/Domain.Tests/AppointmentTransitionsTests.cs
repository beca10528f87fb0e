using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

public sealed class AppointmentTransitionsTests
{
    private static readonly HashSet<(AppointmentStatus From, AppointmentStatus To)> Legal =
    [
        (AppointmentStatus.Booked, AppointmentStatus.CheckedIn),
        (AppointmentStatus.Booked, AppointmentStatus.Cancelled),
        (AppointmentStatus.Booked, AppointmentStatus.NoShow),
        (AppointmentStatus.CheckedIn, AppointmentStatus.Fulfilled),
        (AppointmentStatus.CheckedIn, AppointmentStatus.Cancelled),
    ];

    public static TheoryData<AppointmentStatus, AppointmentStatus, bool> EveryPair()
    {
        var data = new TheoryData<AppointmentStatus, AppointmentStatus, bool>();
        foreach (var from in Enum.GetValues<AppointmentStatus>())
        {
            foreach (var to in Enum.GetValues<AppointmentStatus>())
            {
                data.Add(from, to, Legal.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Only_the_five_fhir_transitions_are_legal(AppointmentStatus from, AppointmentStatus to, bool legal)
    {
        Assert.Equal(legal, AppointmentTransitions.CanMove(from, to));
    }

    [Fact]
    public void There_are_five_statuses_and_twenty_five_pairs_of_which_five_are_legal()
    {
        Assert.Equal(5, Enum.GetValues<AppointmentStatus>().Length);
        Assert.Equal(25, EveryPair().Count());
        Assert.Equal(5, EveryPair().Count(row => (bool)row[2]));
    }

    [Theory]
    [InlineData(AppointmentStatus.Booked, true)]
    [InlineData(AppointmentStatus.CheckedIn, true)]
    [InlineData(AppointmentStatus.Fulfilled, false)]
    [InlineData(AppointmentStatus.Cancelled, false)]
    [InlineData(AppointmentStatus.NoShow, false)]
    public void Only_booked_and_checked_in_appointments_are_active(AppointmentStatus status, bool active)
    {
        Assert.Equal(active, AppointmentTransitions.IsActive(status));
    }

    [Theory]
    [InlineData(AppointmentStatus.Booked, true)]
    [InlineData(AppointmentStatus.CheckedIn, false)]
    [InlineData(AppointmentStatus.Fulfilled, false)]
    [InlineData(AppointmentStatus.Cancelled, false)]
    [InlineData(AppointmentStatus.NoShow, false)]
    public void Only_booked_appointments_can_be_rescheduled(AppointmentStatus status, bool canReschedule)
    {
        Assert.Equal(canReschedule, AppointmentTransitions.CanReschedule(status));
    }

    [Theory]
    [InlineData(AppointmentStatus.Booked, "booked")]
    [InlineData(AppointmentStatus.CheckedIn, "checked-in")]
    [InlineData(AppointmentStatus.Fulfilled, "fulfilled")]
    [InlineData(AppointmentStatus.Cancelled, "cancelled")]
    [InlineData(AppointmentStatus.NoShow, "noshow")]
    public void Name_is_the_fhir_status_name(AppointmentStatus status, string name)
    {
        Assert.Equal(name, AppointmentTransitions.Name(status));
    }

    [Fact]
    public void Name_of_an_undefined_status_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AppointmentTransitions.Name((AppointmentStatus)99));
    }
}
