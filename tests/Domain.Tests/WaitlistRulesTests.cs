using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>Issue 24: which waitlist entries a freed slot fits, and the offer order (priority, then arrival).</summary>
public sealed class WaitlistRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly FreedSlot Slot = new("prv-1", "checkup", Now.AddDays(3), Now.AddDays(3).AddMinutes(30), "apt-1");
    private static readonly DateOnly SlotDate = Today.AddDays(3);

    private static WaitlistEntry Entry(long sequence, int priority = 0, string? provider = null, string type = "checkup", int notice = 0,
        int fromDays = 0, int toDays = 7, string? offer = null) =>
        new($"wle-{sequence}", $"pat-{sequence}", type, provider, Today.AddDays(fromDays), Today.AddDays(toDays), notice, priority, sequence, Now, offer);

    [Fact]
    public void A_slot_fits_its_type_provider_or_any_window_and_notice()
    {
        Assert.True(WaitlistRules.Fits(Entry(1), Slot, SlotDate, Now));
        Assert.True(WaitlistRules.Fits(Entry(1, provider: "prv-1"), Slot, SlotDate, Now));
        Assert.False(WaitlistRules.Fits(Entry(1, provider: "prv-2"), Slot, SlotDate, Now));
        Assert.False(WaitlistRules.Fits(Entry(1, type: "therapy"), Slot, SlotDate, Now));
        Assert.False(WaitlistRules.Fits(Entry(1, fromDays: 4), Slot, SlotDate, Now));
        Assert.False(WaitlistRules.Fits(Entry(1, toDays: 2), Slot, SlotDate, Now));
        Assert.True(WaitlistRules.Fits(Entry(1, fromDays: 3, toDays: 3), Slot, SlotDate, Now));
        Assert.True(WaitlistRules.Fits(Entry(1, notice: 3 * 24 * 60), Slot, SlotDate, Now));
        Assert.False(WaitlistRules.Fits(Entry(1, notice: 3 * 24 * 60 + 1), Slot, SlotDate, Now));
        Assert.False(WaitlistRules.Fits(Entry(1, offer: "wof-1"), Slot, SlotDate, Now));
    }

    [Fact]
    public void Higher_priority_goes_first_then_first_come_first_served()
    {
        var entries = new[] { Entry(5), Entry(2, priority: 1), Entry(3), Entry(4, priority: 1), Entry(1) };

        Assert.Equal(["wle-2", "wle-4", "wle-1", "wle-3", "wle-5"], WaitlistRules.InOfferOrder(entries).Select(e => e.Id));
        Assert.Equal("wle-2", WaitlistRules.NextFor(entries, Slot, SlotDate, Now, new HashSet<string>())!.Id);
        Assert.Equal("wle-1", WaitlistRules.NextFor(entries, Slot, SlotDate, Now, new HashSet<string> { "wle-2", "wle-4" })!.Id);
        Assert.Null(WaitlistRules.NextFor(entries, Slot, SlotDate, Now, entries.Select(e => e.Id).ToHashSet()));
    }

    [Fact]
    public void Offers_of_one_provider_that_overlap_are_the_same_slot()
    {
        var offer = new WaitlistOffer("wof-1", "wle-1", "pat-1", "prv-1", "checkup", Slot.Start, Slot.End, Now.AddMinutes(15), WaitlistOfferStatus.Offered);

        Assert.True(WaitlistRules.SameSlot(offer, Slot));
        Assert.True(WaitlistRules.SameSlot(offer, Slot with { Start = Slot.Start.AddMinutes(15), End = Slot.End.AddMinutes(15) }));
        Assert.False(WaitlistRules.SameSlot(offer, Slot with { Start = Slot.End, End = Slot.End.AddMinutes(30) }));
        Assert.False(WaitlistRules.SameSlot(offer, Slot with { ProviderId = "prv-2" }));
    }

    [Theory]
    [InlineData("Bad Id", "checkup", null, 0, 5, 0, 0, "patientId")]
    [InlineData("pat-1", "", null, 0, 5, 0, 0, "appointmentType")]
    [InlineData("pat-1", "a\u0001b", null, 0, 5, 0, 0, "appointmentType")]
    [InlineData("pat-1", "checkup", "Bad Id", 0, 5, 0, 0, "providerId")]
    [InlineData("pat-1", "checkup", null, 5, 0, 0, 0, "to")]
    [InlineData("pat-1", "checkup", null, -9, -2, 0, 0, "to")]
    [InlineData("pat-1", "checkup", null, 0, 90, 0, 0, "to")]
    [InlineData("pat-1", "checkup", null, 0, 5, -1, 0, "minimumNoticeMinutes")]
    [InlineData("pat-1", "checkup", null, 0, 5, 10081, 0, "minimumNoticeMinutes")]
    [InlineData("pat-1", "checkup", null, 0, 5, 0, 10, "priority")]
    [InlineData("pat-1", "checkup", null, 0, 5, 0, -1, "priority")]
    public void Validation_names_the_bad_field(string patient, string type, string? provider, int from, int to, int notice, int priority, string field)
    {
        var error = WaitlistRules.Validate(new JoinWaitlist(patient, type, provider, Today.AddDays(from), Today.AddDays(to), notice, priority), Today);

        Assert.Contains(field, error!.Fields!.Keys);
    }

    [Fact]
    public void A_valid_request_passes_and_an_accepted_offer_books_one_derived_id()
    {
        Assert.Null(WaitlistRules.Validate(new JoinWaitlist("pat-1", "checkup", null, Today, Today.AddDays(89)), Today));
        Assert.Equal(WaitlistRules.AppointmentIdOf("c1", "wof-1"), WaitlistRules.AppointmentIdOf("c1", "wof-1"));
        Assert.NotEqual(WaitlistRules.AppointmentIdOf("c1", "wof-1"), WaitlistRules.AppointmentIdOf("c1", "wof-2"));
    }
}
