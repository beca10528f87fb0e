using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>Issue 24: the waitlist fills freed slots (offer order, accept, decline, expiry, one offer per slot under concurrency).</summary>
[Collection(ClusterCollection.Name)]
public sealed class WaitlistTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(14);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task A_cancellation_offers_its_slot_to_the_highest_priority_then_the_earliest_entry_and_accept_books_it()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var otherProvider = await clinic.AddProviderAsync();
        var (holder, first, urgent, elsewhere) = (await clinic.AddPatientAsync(), await clinic.AddPatientAsync(), await clinic.AddPatientAsync(), await clinic.AddPatientAsync());
        var waitlist = Waitlist(clinic);
        await Join(waitlist, elsewhere, otherProvider);
        var firstEntry = await Join(waitlist, first);
        var urgentEntry = await Join(waitlist, urgent, priority: 3);
        var start = TestClinic.Local(Day, 10);
        var booked = ResultAssert.Success(await clinic.BookAsync(holder, provider, start));

        ResultAssert.Success(await clinic.Appointment(booked.Id).CancelAsync(null, CancellationReasonCode.PatientRequest));

        var offer = Assert.Single((await waitlist.ListAsync()).Offers);
        Assert.Equal((urgentEntry.Id, urgent, WaitlistOfferStatus.Offered, start), (offer.EntryId, offer.PatientId, offer.Status, offer.Start));
        Assert.Equal(ClusterFixture.Clock.GetUtcNow().AddMinutes(WaitlistLimits.OfferMinutes), offer.ExpiresAt);
        ResultAssert.Failure(await clinic.BookAsync(first, provider, start), ErrorKind.Conflict, "slot-held");

        var accepted = ResultAssert.Success(await waitlist.AcceptAsync(offer.Id));
        var again = ResultAssert.Success(await waitlist.AcceptAsync(offer.Id));
        Assert.Equal(accepted.AppointmentId, again.AppointmentId);
        var appointment = await clinic.Appointment(accepted.AppointmentId!).GetAsync();
        Assert.Equal((urgent, provider, start, AppointmentStatus.Booked), (appointment!.PatientId, appointment.ProviderId, appointment.Start, appointment.Status));
        Assert.DoesNotContain((await waitlist.ListAsync()).Entries, e => e.Id == urgentEntry.Id);
        Assert.Contains((await waitlist.ListAsync()).Entries, e => e.Id == firstEntry.Id && e.OfferId is null);
        ResultAssert.Failure(await waitlist.DeclineAsync(offer.Id), ErrorKind.Conflict, "offer-closed");
    }

    [Fact]
    public async Task A_decline_and_an_expiry_pass_the_slot_to_the_next_entry_and_a_rescheduled_visit_frees_its_old_slot()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var holder = await clinic.AddPatientAsync();
        var patients = new[] { await clinic.AddPatientAsync(), await clinic.AddPatientAsync(), await clinic.AddPatientAsync() };
        var waitlist = Waitlist(clinic);
        foreach (var patient in patients)
        {
            await Join(waitlist, patient, provider);
        }

        var start = TestClinic.Local(Day, 14);
        var booked = ResultAssert.Success(await clinic.BookAsync(holder, provider, start));
        ResultAssert.Success(await clinic.Appointment(booked.Id).RescheduleAsync(start.AddHours(2)));

        var firstOffer = Assert.Single((await waitlist.ListAsync()).Offers);
        Assert.Equal((patients[0], start), (firstOffer.PatientId, firstOffer.Start));
        var declined = ResultAssert.Success(await waitlist.DeclineAsync(firstOffer.Id));
        Assert.Equal(WaitlistOfferStatus.Declined, declined.Status);

        var secondOffer = (await waitlist.ListAsync()).Offers.Single(o => o.IsOpen);
        Assert.Equal(patients[1], secondOffer.PatientId);

        TestClinic.AdvanceClockTo(secondOffer.ExpiresAt);
        var view = await waitlist.ListAsync();
        Assert.Equal(WaitlistOfferStatus.Expired, view.Offers.Single(o => o.Id == secondOffer.Id).Status);
        var thirdOffer = view.Offers.Single(o => o.IsOpen);
        Assert.Equal(patients[2], thirdOffer.PatientId);

        // Everyone was offered this slot once: after the last decline it stays free, with no offer open.
        ResultAssert.Success(await waitlist.DeclineAsync(thirdOffer.Id));
        Assert.DoesNotContain((await waitlist.ListAsync()).Offers, o => o.IsOpen);
        ResultAssert.Success(await clinic.BookAsync(holder, provider, start));
    }

    [Fact]
    public async Task Concurrent_cancellations_offer_each_freed_slot_exactly_once_and_every_accept_books_once()
    {
        const int Cancellations = 24;
        const int Waiting = 40;
        var clinic = await TestClinic.CreateAsync(_grains);
        var providers = new[] { await clinic.AddProviderAsync(), await clinic.AddProviderAsync(), await clinic.AddProviderAsync() };
        var holders = await Task.WhenAll(Enumerable.Range(0, Cancellations).Select(_ => clinic.AddPatientAsync()));
        var waiting = await Task.WhenAll(Enumerable.Range(0, Waiting).Select(_ => clinic.AddPatientAsync()));
        var waitlist = Waitlist(clinic);
        foreach (var patient in waiting)
        {
            await Join(waitlist, patient);
        }

        var booked = await Task.WhenAll(Enumerable.Range(0, Cancellations).Select(i =>
            clinic.BookAsync(holders[i], providers[i % providers.Length], TestClinic.Local(Day, 9 + (i / providers.Length)))));
        var ids = booked.Select(b => ResultAssert.Success(b).Id).ToList();

        var cancelled = await Task.WhenAll(ids.Select(id => clinic.Appointment(id).CancelAsync(null, CancellationReasonCode.PatientRequest)));
        Assert.All(cancelled, c => Assert.True(c.IsSuccess));

        var offers = (await waitlist.ListAsync()).Offers;
        Assert.Equal(Cancellations, offers.Count);
        Assert.All(offers, o => Assert.Equal(WaitlistOfferStatus.Offered, o.Status));
        Assert.Equal(Cancellations, offers.Select(o => (o.ProviderId, o.Start)).Distinct().Count());
        Assert.Equal(Cancellations, offers.Select(o => o.EntryId).Distinct().Count());
        Assert.Equal(Cancellations, offers.Select(o => o.HoldId).Distinct().Count());

        // Each accept twice at once: one booking per offer, never two.
        var accepts = await Task.WhenAll(offers.SelectMany(o => new[] { waitlist.AcceptAsync(o.Id), waitlist.AcceptAsync(o.Id) }));
        Assert.All(accepts, a => Assert.True(a.IsSuccess, a.Error?.Code));
        var appointments = accepts.Select(a => a.Value!.AppointmentId!).Distinct().ToList();
        Assert.Equal(Cancellations, appointments.Count);
        foreach (var provider in providers)
        {
            var day = ResultAssert.Success(await clinic.ProviderSchedule(provider).ListDayAsync(Day));
            Assert.Equal(Cancellations / providers.Length, day.Count(a => a.Status == AppointmentStatus.Booked));
        }

        Assert.Equal(Waiting - Cancellations, (await waitlist.ListAsync()).Entries.Count);
    }

    [Fact]
    public async Task A_slot_inside_an_entrys_notice_or_outside_its_window_is_not_offered_and_bad_requests_are_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var holder = await clinic.AddPatientAsync();
        var patient = await clinic.AddPatientAsync();
        var waitlist = Waitlist(clinic);
        var today = TestClinic.Day(0);
        var soon = TestClinic.Day(3);
        ResultAssert.Success(await waitlist.JoinAsync(new JoinWaitlist(patient, TestClinic.Checkup, null, today, soon.AddDays(-1))));
        ResultAssert.Success(await waitlist.JoinAsync(new JoinWaitlist(patient, TestClinic.Checkup, null, today, soon, MinimumNoticeMinutes: 4 * 24 * 60)));
        var booked = ResultAssert.Success(await clinic.BookAsync(holder, provider, TestClinic.Local(soon, 11)));

        ResultAssert.Success(await clinic.Appointment(booked.Id).CancelAsync(null, CancellationReasonCode.PatientRequest));

        Assert.Empty((await waitlist.ListAsync()).Offers);
        ResultAssert.Failure(await waitlist.JoinAsync(new JoinWaitlist(patient, "surgery", null, today, Day)), ErrorKind.Validation);
        ResultAssert.Failure(await waitlist.JoinAsync(new JoinWaitlist(patient, TestClinic.Checkup, "prv-unknown", today, Day)), ErrorKind.NotFound);
        ResultAssert.Failure(await waitlist.JoinAsync(new JoinWaitlist("pat-unknown", TestClinic.Checkup, null, today, Day)), ErrorKind.NotFound);
        ResultAssert.Failure(await waitlist.AcceptAsync("wof-unknown"), ErrorKind.NotFound);
        var entry = (await waitlist.ListAsync()).Entries[0];
        ResultAssert.Success(await waitlist.RemoveAsync(entry.Id));
        ResultAssert.Failure(await waitlist.RemoveAsync(entry.Id), ErrorKind.NotFound);
    }

    [Fact]
    public async Task A_repeated_cancel_tells_the_waitlist_again_and_still_offers_the_slot_once()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var (holder, patient, later) = (await clinic.AddPatientAsync(), await clinic.AddPatientAsync(), await clinic.AddPatientAsync());
        var waitlist = Waitlist(clinic);
        var booked = ResultAssert.Success(await clinic.BookAsync(holder, provider, TestClinic.Local(Day, 15)));
        ResultAssert.Success(await clinic.Appointment(booked.Id).CancelAsync(null, CancellationReasonCode.PatientRequest));
        Assert.Empty((await waitlist.ListAsync()).Offers);

        // As if the waitlist had missed the first call (its silo died): the client's retry offers the slot.
        await Join(waitlist, patient, provider);
        ResultAssert.Success(await clinic.Appointment(booked.Id).CancelAsync(null, CancellationReasonCode.PatientRequest));
        var offer = Assert.Single((await waitlist.ListAsync()).Offers);
        Assert.Equal((patient, WaitlistOfferStatus.Offered), (offer.PatientId, offer.Status));

        await Join(waitlist, later, provider);
        ResultAssert.Success(await clinic.Appointment(booked.Id).CancelAsync(null, CancellationReasonCode.PatientRequest));
        Assert.Single((await waitlist.ListAsync()).Offers);
    }

    private static IWaitlistGrain Waitlist(TestClinic clinic) => clinic.Grains.GetGrain<IWaitlistGrain>(clinic.Id);

    private static async Task<WaitlistEntry> Join(IWaitlistGrain waitlist, string patient, string? provider = null, int priority = 0) =>
        ResultAssert.Success(await waitlist.JoinAsync(new JoinWaitlist(patient, TestClinic.Checkup, provider, Day.AddDays(-3), Day.AddDays(3), 0, priority)));
}
