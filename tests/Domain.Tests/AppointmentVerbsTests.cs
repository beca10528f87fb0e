using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

public sealed class AppointmentVerbsTests
{
    [Fact]
    public void Booking_takes_length_and_buffer_from_the_visit_type_and_remembers_the_first_range()
    {
        var row = AppointmentVerbs.Book("c-1", "apt-1", new BookAppointment("pat-1", "prv-1", "checkup", Start, "annual"), Context(45, 15), "fp", Now);

        Assert.Equal(Start.AddMinutes(45), row.End);
        Assert.Equal(Start.AddMinutes(60), row.BlockedUntil);
        Assert.Equal((Start, row.End), (row.BookedStart, row.BookedEnd));
        Assert.Equal((AppointmentStatus.Booked, 1L, "fp"), (row.Status, row.Version, row.RequestFingerprint));
    }

    [Fact]
    public void Rescheduling_moves_the_range_clears_the_due_soon_notice_and_keeps_the_first_range_for_replays()
    {
        var noticed = Row() with { DueSoonNoticedAt = Now };

        var moved = AppointmentVerbs.Reschedule(noticed, Start.AddHours(3), Context(), Now).Next!;

        Assert.Equal(Start.AddHours(3), moved.Start);
        Assert.Null(moved.DueSoonNoticedAt);
        Assert.Equal(Start, moved.ToOriginal().Start);
    }

    [Fact]
    public void Rescheduling_to_the_same_start_changes_nothing_and_outside_the_window_is_refused()
    {
        Assert.Equal(Decision.Unchanged, AppointmentVerbs.Reschedule(Row(), Start, Context(), Now));
        Assert.Equal(ErrorKind.Validation, AppointmentVerbs.Reschedule(Row(), Now.AddMinutes(30), Context(), Now).Refusal!.Kind);
        Assert.Equal(ErrorKind.InvalidTransition,
            AppointmentVerbs.Reschedule(Row(status: AppointmentStatus.CheckedIn), Start.AddHours(1), Context(), Now).Refusal!.Kind);
    }

    [Fact]
    public void Rescheduling_without_a_scheduling_context_answers_its_error()
    {
        var missing = Error.NotFound("Provider");

        Assert.Equal(missing, AppointmentVerbs.Reschedule(Row(), Start.AddHours(1), missing, Now).Refusal);
    }

    [Fact]
    public void Cancelling_inside_the_cutoff_is_refused_only_while_booked()
    {
        var soon = Row(start: Now.AddHours(3));

        Assert.Equal("cancellation-cutoff", AppointmentVerbs.Cancel(soon, null, null, Policy, Now).Refusal!.Code);
        Assert.Equal(AppointmentStatus.Cancelled,
            AppointmentVerbs.Cancel(soon with { Status = AppointmentStatus.CheckedIn }, "left", CancellationReasonCode.PatientLeft, Policy, Now).Next!.Status);
        Assert.Equal(AppointmentStatus.Cancelled, AppointmentVerbs.Cancel(soon, null, null, policy: null, Now).Next!.Status);
    }

    [Fact]
    public void A_repeated_cancel_or_status_change_is_unchanged_not_an_error()
    {
        Assert.Equal(Decision.Unchanged, AppointmentVerbs.Cancel(Row(status: AppointmentStatus.Cancelled), null, null, Policy, Now));
        Assert.Equal(Decision.Unchanged, AppointmentVerbs.ChangeStatus(Row(status: AppointmentStatus.CheckedIn), AppointmentStatus.CheckedIn, Rules, Now));
    }

    [Theory]
    [InlineData(AppointmentStatus.Fulfilled, AppointmentStatus.Cancelled)]
    [InlineData(AppointmentStatus.NoShow, AppointmentStatus.CheckedIn)]
    [InlineData(AppointmentStatus.Booked, AppointmentStatus.Fulfilled)]
    public void Illegal_transitions_are_refused(AppointmentStatus from, AppointmentStatus to)
    {
        var decision = to == AppointmentStatus.Cancelled
            ? AppointmentVerbs.Cancel(Row(status: from), null, null, Policy, Now)
            : AppointmentVerbs.ChangeStatus(Row(status: from), to, Rules, Now);

        Assert.Equal(ErrorKind.InvalidTransition, decision.Refusal!.Kind);
    }

    [Fact]
    public void No_show_only_after_the_start_plus_its_grace_and_booked_is_not_a_status_change_target()
    {
        var grace = Policy.NoShowGraceMinutes;
        Assert.Equal("not-started", AppointmentVerbs.ChangeStatus(Row(), AppointmentStatus.NoShow, Rules, Now).Refusal!.Code);
        Assert.Equal("not-started", AppointmentVerbs.ChangeStatus(Row(), AppointmentStatus.NoShow, Rules, Start.AddMinutes(grace - 1)).Refusal!.Code);
        Assert.Equal(AppointmentStatus.NoShow, AppointmentVerbs.ChangeStatus(Row(), AppointmentStatus.NoShow, Rules, Start.AddMinutes(grace)).Next!.Status);
        Assert.Equal(ErrorKind.Validation, AppointmentVerbs.ChangeStatus(Row(), AppointmentStatus.Booked, Rules, Now).Refusal!.Kind);
    }

    [Fact]
    public void Cancelling_a_checked_in_visit_needs_a_reason_code_and_records_it()
    {
        var arrived = Row(status: AppointmentStatus.CheckedIn);

        var refused = AppointmentVerbs.Cancel(arrived, "left early", null, Policy, Start).Refusal!;
        var cancelled = AppointmentVerbs.Cancel(arrived, null, CancellationReasonCode.ClinicianUnavailable, Policy, Start).Next!;

        Assert.Equal((ErrorKind.Validation, "reasonCode"), (refused.Kind, refused.Fields!.Keys.Single()));
        Assert.DoesNotContain("left early", refused.Fields["reasonCode"][0], StringComparison.Ordinal);
        Assert.Equal((AppointmentStatus.Cancelled, CancellationReasonCode.ClinicianUnavailable), (cancelled.Status, cancelled.CancellationCode));
        Assert.Equal(CancellationReasonCode.ClinicianUnavailable, cancelled.ToAppointment().CancellationCode);
    }

    [Fact]
    public void A_booked_visit_may_be_cancelled_with_or_without_a_code_but_never_with_an_unknown_one()
    {
        Assert.Null(AppointmentVerbs.Cancel(Row(), null, null, Policy, Now).Next!.CancellationCode);
        Assert.Equal(CancellationReasonCode.PatientRequest,
            AppointmentVerbs.Cancel(Row(), null, CancellationReasonCode.PatientRequest, Policy, Now).Next!.CancellationCode);
        Assert.Equal("reasonCode",
            AppointmentVerbs.Cancel(Row(), null, (CancellationReasonCode)99, Policy, Now).Refusal!.Fields!.Keys.Single());
    }

    [Fact]
    public void A_replay_with_the_same_fingerprint_answers_the_first_booking_and_another_is_refused()
    {
        var moved = Row() with { Start = Start.AddHours(2), End = Start.AddHours(2).AddMinutes(30), Status = AppointmentStatus.Cancelled, Version = 3 };

        var replay = AppointmentVerbs.Replay(moved, "fp").Value!;

        Assert.Equal((Start, AppointmentStatus.Booked, (string?)null), (replay.Start, replay.Status, replay.CancellationReason));
        Assert.Equal(ErrorKind.IdempotencyMismatch, AppointmentVerbs.Replay(moved, "other").Error!.Kind);
        Assert.Equal(ErrorKind.IdempotencyMismatch, AppointmentVerbs.Replay(moved, null).Error!.Kind);
    }

    [Theory]
    [InlineData(AppointmentStatus.CheckedIn, SchedulingOperation.CheckIn)]
    [InlineData(AppointmentStatus.NoShow, SchedulingOperation.NoShow)]
    [InlineData(AppointmentStatus.Fulfilled, SchedulingOperation.Complete)]
    public void A_status_change_is_faulted_and_logged_as_its_own_operation(AppointmentStatus target, SchedulingOperation operation) =>
        Assert.Equal(operation, AppointmentVerbs.OperationOf(target));
}
