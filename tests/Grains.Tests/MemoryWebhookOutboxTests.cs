using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using ClinicCluster.Webhooks;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// The embedded mode's outbox (decision 0046): the memory ledger queues each change's event with
/// the change, and the queue hands out one event per appointment at a time, in order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MemoryWebhookOutboxTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Ledger_changes_queue_events_that_come_out_in_order_per_appointment()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var outbox = _grains.GetGrain<IMemoryWebhookOutboxGrain>(clinic.Id);
        var now = ClusterFixture.Clock.GetUtcNow();
        // Added straight to the store: the registration's SSRF guard is tested in Domain.Tests and Api.Tests.
        Assert.True(await outbox.AddSubscriptionAsync(new WebhookSubscriptionRow(clinic.Id, "whk-1", "https://93.184.215.14/",
            ["appointment.booked", "appointment.rescheduled", "appointment.cancelled"], ["s"], null, now), limit: 20));

        var start = new DateTimeOffset(2026, 6, 8, 14, 0, 0, TimeSpan.Zero);
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start));
        ResultAssert.Success(await clinic.Appointment("appt-1").RescheduleAsync(start.AddHours(1)));
        ResultAssert.Success(await clinic.Appointment("appt-1").CancelAsync(null, null));
        var far = now.AddYears(1);

        // Only the head of the appointment's queue is due; it holds the others back until settled.
        var first = Assert.Single(await outbox.DueAsync("whk-1", far, 10));
        Assert.Equal("appointment.booked", first.EventType);
        await outbox.SettleAsync("whk-1", first.EventId, new WebhookSettlement(WebhookDeliveryState.Pending, now, NextAttemptAt: far));
        Assert.Empty(await outbox.DueAsync("whk-1", now, 10));
        await outbox.SettleAsync("whk-1", first.EventId, new WebhookSettlement(WebhookDeliveryState.Delivered, now));

        var second = Assert.Single(await outbox.DueAsync("whk-1", far, 10));
        Assert.Equal("appointment.rescheduled", second.EventType);
        await outbox.SettleAsync("whk-1", second.EventId, new WebhookSettlement(WebhookDeliveryState.Dead, now, Error: "HTTP 500"));

        // A dead event no longer blocks its appointment; a replay queues it again.
        var third = Assert.Single(await outbox.DueAsync("whk-1", far, 10));
        Assert.Equal("appointment.cancelled", third.EventType);
        Assert.True(second.EventId < third.EventId);
        Assert.Equal(1, await outbox.ReplayAsync("whk-1", now));
        Assert.Equal(second.EventId, Assert.Single(await outbox.DueAsync("whk-1", far, 10)).EventId);
    }

    [Fact]
    public async Task A_clinic_without_subscriptions_queues_nothing_and_a_full_clinic_refuses_more()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var outbox = _grains.GetGrain<IMemoryWebhookOutboxGrain>(clinic.Id);
        var now = ClusterFixture.Clock.GetUtcNow();

        Assert.Null(await outbox.EnqueueAsync(new WebhookEvent(clinic.Id, "appointment.booked", "appt-1", now, "{}")));
        Assert.True(await outbox.AddSubscriptionAsync(Row(clinic.Id, "whk-1", now), limit: 1));
        Assert.False(await outbox.AddSubscriptionAsync(Row(clinic.Id, "whk-2", now), limit: 1));
        Assert.NotNull(await outbox.EnqueueAsync(new WebhookEvent(clinic.Id, "appointment.booked", "appt-1", now, "{}")));
        Assert.True(await outbox.DeleteSubscriptionAsync("whk-1"));
        Assert.Empty(await outbox.SubscriptionsAsync());
    }

    [Fact]
    public async Task Delivered_entries_past_the_retention_are_forgotten_in_bounded_batches_and_nothing_else_is()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var outbox = _grains.GetGrain<IMemoryWebhookOutboxGrain>(clinic.Id);
        var now = ClusterFixture.Clock.GetUtcNow();
        Assert.True(await outbox.AddSubscriptionAsync(Row(clinic.Id, "whk-1", now), limit: 20));
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await outbox.EnqueueAsync(new WebhookEvent(clinic.Id, "appointment.booked", $"appt-{i}", now, "{}")))!.Value);
        }

        // Four delivered (two long ago, two just now), one dead long ago, one still pending.
        await outbox.SettleAsync("whk-1", ids[0], new WebhookSettlement(WebhookDeliveryState.Delivered, now.AddDays(-9)));
        await outbox.SettleAsync("whk-1", ids[1], new WebhookSettlement(WebhookDeliveryState.Delivered, now.AddDays(-8)));
        await outbox.SettleAsync("whk-1", ids[2], new WebhookSettlement(WebhookDeliveryState.Delivered, now));
        await outbox.SettleAsync("whk-1", ids[3], new WebhookSettlement(WebhookDeliveryState.Delivered, now));
        await outbox.SettleAsync("whk-1", ids[4], new WebhookSettlement(WebhookDeliveryState.Dead, now.AddDays(-9), Error: "HTTP 500"));

        Assert.Equal(1, await outbox.PurgeDeliveredAsync("whk-1", now.AddDays(-7), limit: 1));
        Assert.Equal(1, await outbox.PurgeDeliveredAsync("whk-1", now.AddDays(-7), limit: 10));
        Assert.Equal(0, await outbox.PurgeDeliveredAsync("whk-1", now.AddDays(-7), limit: 10));

        // The dead one is still there for a replay, the pending one still due.
        Assert.Equal(1, await outbox.ReplayAsync("whk-1", now));
        Assert.Equal([ids[4], ids[5]], (await outbox.DueAsync("whk-1", now.AddYears(1), 10)).Select(e => e.EventId));
    }

    private static WebhookSubscriptionRow Row(string clinicId, string id, DateTimeOffset now) =>
        new(clinicId, id, "https://93.184.215.14/", ["appointment.booked"], ["s"], null, now);
}
