using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

/// <summary>Issue 24: checkout holds as plain rules (expiry on read, conversion, release).</summary>
public sealed class CheckoutHoldsTests
{
    private static readonly TimeRange Blocked = new(Start, Start.AddMinutes(40));

    private static CheckoutHold Hold(string patient = "pat-1", int minutes = 5) =>
        new(HoldIds.New("prv-1"), patient, "prv-1", "checkup", Start, Start.AddMinutes(30), Now.AddMinutes(minutes));

    private static SlotHold Booking(string patient = "pat-1", string? holdId = null, int startMinutes = 0, string id = "apt-1") =>
        Row(id, patient, start: Start.AddMinutes(startMinutes)).ProviderHold() with { CheckoutHoldId = holdId };

    [Fact]
    public void A_live_hold_refuses_overlapping_holds_and_bookings_until_it_expires()
    {
        var holds = new CheckoutHolds();
        holds.Place(Hold(), Blocked);

        Assert.Equal(HoldRules.SlotHeld, holds.RefusePlacement(new TimeRange(Start.AddMinutes(35), Start.AddMinutes(75)), Now));
        Assert.Equal(HoldRules.SlotHeld, holds.RefuseBooking(Booking(startMinutes: -30), Now));
        Assert.Equal(HoldRules.SlotHeld, holds.RefuseBooking(Booking("pat-1"), Now));
        Assert.Null(holds.RefuseBooking(Booking(startMinutes: 40), Now));
        Assert.Single(holds.Blocking(Now));

        // Expired on read: the very instant of expiry frees the slot, before any prune.
        var expiry = Now.AddMinutes(5);
        Assert.Null(holds.RefusePlacement(Blocked, expiry));
        Assert.Null(holds.RefuseBooking(Booking(), expiry));
        Assert.Empty(holds.Blocking(expiry));
        Assert.Equal(1, holds.Count);
        Assert.Equal(1, holds.Prune(expiry));
        Assert.Equal(0, holds.Count);
    }

    [Fact]
    public void Only_the_same_patient_type_and_start_convert_a_hold_and_a_record_uses_it_up()
    {
        var holds = new CheckoutHolds();
        var hold = Hold();
        holds.Place(hold, Blocked);

        Assert.Equal(HoldRules.HoldMismatch, holds.RefuseBooking(Booking("pat-2", hold.Id), Now));
        Assert.Equal(HoldRules.HoldMismatch, holds.RefuseBooking(Booking(holdId: hold.Id, startMinutes: 15), Now));
        Assert.Equal(HoldRules.HoldNotFound, holds.RefuseBooking(Booking(holdId: HoldIds.New("prv-1"), startMinutes: 60), Now));
        Assert.Equal(HoldRules.HoldNotFound, holds.RefuseBooking(Booking(holdId: hold.Id), Now.AddMinutes(6)));
        Assert.Null(holds.RefuseBooking(Booking(holdId: hold.Id), Now));

        // Claimed but not yet committed: others are still refused.
        Assert.Equal(HoldRules.SlotHeld, holds.RefuseBooking(Booking("pat-3", id: "apt-2"), Now));
        holds.Recorded("apt-1");
        Assert.Equal(0, holds.Count);
        Assert.Equal(HoldRules.HoldNotFound, holds.RefuseBooking(Booking(holdId: hold.Id, id: "apt-3"), Now));
    }

    [Fact]
    public void A_release_returns_the_live_hold_once()
    {
        var holds = new CheckoutHolds();
        var hold = Hold();
        holds.Place(hold, Blocked);

        Assert.Null(holds.Release("hld-unknown", Now));
        Assert.Equal(hold, holds.Release(hold.Id, Now));
        Assert.Null(holds.Release(hold.Id, Now));
        Assert.Null(holds.RefusePlacement(Blocked, Now));

        holds.Place(hold, Blocked);
        Assert.Null(holds.Release(hold.Id, Now.AddMinutes(5)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(15, true)]
    [InlineData(0, false)]
    [InlineData(16, false)]
    [InlineData(-5, false)]
    public void Minutes_default_to_five_and_stay_within_fifteen(int? minutes, bool valid)
    {
        var command = new PlaceHold("pat-1", "prv-1", "checkup", Start, minutes);
        Assert.Equal(valid, HoldRules.Validate(command) is null);
        if (valid)
        {
            Assert.Equal(TimeSpan.FromMinutes(minutes ?? 5), HoldRules.Duration(command, TimeSpan.FromMinutes(1)));

            // Scheduling:HoldMinute of one second (the tests that watch holds expire): seconds instead.
            Assert.Equal(TimeSpan.FromSeconds(minutes ?? 5), HoldRules.Duration(command, TimeSpan.FromSeconds(1)));
        }
    }

    [Fact]
    public void Hold_ids_name_their_provider_and_nothing_else_parses()
    {
        var id = HoldIds.New("prv-1");
        Assert.Equal("prv-1", HoldIds.ProviderOf(id));
        Assert.Equal(new string('p', 64), HoldIds.ProviderOf(HoldIds.New(new string('p', 64))));
        foreach (var bad in new[] { null, "", "hld-", "apt-1", id.ToUpperInvariant(), id + "\n", "hld-0123456789abcdeg-prv-1", "hld-0123456789abcdef-", "hld-0123456789abcdef-Prv" })
        {
            Assert.Null(HoldIds.ProviderOf(bad));
        }

        Assert.NotNull(HoldRules.Validate(new PlaceHold("Bad", "prv-1", "checkup", Start)));
        Assert.NotNull(BookingRules.Validate(new BookAppointment("pat-1", "prv-1", "checkup", Start, HoldId: HoldIds.New("prv-2"))));
        Assert.Null(BookingRules.Validate(new BookAppointment("pat-1", "prv-1", "checkup", Start, HoldId: id)));
    }
}
