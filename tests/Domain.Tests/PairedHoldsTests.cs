using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>
/// <see cref="PairedHolds"/> against small in-memory calendars whose calls run in an order the
/// test chooses, so the interleaving that once booked 0 of 20 (Api.Tests ConcurrencyTests) is
/// reproduced exactly, not by chance.
/// </summary>
public sealed class PairedHoldsTests
{
    [Fact]
    public async Task Three_bookings_of_one_patient_holding_what_the_others_need_book_exactly_one_on_the_ordered_retry()
    {
        var (pr1, pr2, patient) = (new Calendar(LedgerWrite.ProviderBusy), new Calendar(LedgerWrite.ProviderBusy), new Calendar(LedgerWrite.PatientBusy));
        var turns = new Turns("C.patient", "B.provider", "A.provider", "A.patient", "B.patient", "C.provider");
        var released = new Barrier(3);
        var bookings = new[] { ("A", pr1), ("B", pr2), ("C", pr2) }
            .Select(b => new Booking(b.Item1, b.Item2, patient, turns, released)).ToList();

        var outcomes = await Task.WhenAll(bookings.Select(b => b.TakeAsync()));

        // Taken at once, each refused the others with a pending hold: without the ordered retry, 0 booked.
        Assert.All(bookings, b => Assert.True(PendingHoldRefusal.IsPending(b.FirstRefusal), b.Id));
        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Contains(o!.Code, new[] { "provider-busy", "patient-busy" }));
        var winner = bookings[Array.FindIndex(outcomes, o => o is null)].Id;
        Assert.Equal(winner, patient.Holder);
        Assert.Equal(2, bookings.Count(b => b.Releases == 2));
    }

    [Fact]
    public async Task A_refusal_by_something_recorded_is_final_at_once()
    {
        var (provider, patient) = (new Calendar(LedgerWrite.ProviderBusy), new Calendar(LedgerWrite.PatientBusy) { Recorded = "other" });
        var releases = 0;

        var refusal = await PairedHolds.TakeAsync(() => provider.HoldAsync("A"), () => patient.HoldAsync("A"), step => step(),
            () => { releases++; provider.Release("A"); return Task.CompletedTask; });

        Assert.Equal(LedgerWrite.PatientBusy, refusal);
        Assert.Equal((1, 1, 1), (provider.Calls, patient.Calls, releases));
        Assert.Null(provider.Holder);
    }

    [Fact]
    public async Task The_ordered_retry_is_made_once_asks_the_patient_only_after_the_provider_and_answers_without_the_mark()
    {
        var (provider, patient) = (new Calendar(LedgerWrite.ProviderBusy) { Holder = "other" }, new Calendar(LedgerWrite.PatientBusy));
        var releases = 0;

        var refusal = await PairedHolds.TakeAsync(() => provider.HoldAsync("A"), () => patient.HoldAsync("A"), step => step(),
            () => { releases++; patient.Release("A"); return Task.CompletedTask; });

        Assert.Equal(LedgerWrite.ProviderBusy, refusal);
        Assert.Equal((2, 1, 2), (provider.Calls, patient.Calls, releases));
        Assert.Null(patient.Holder);
    }

    [Fact]
    public async Task A_hold_that_throws_in_the_retry_is_undone_and_its_exception_reaches_the_caller()
    {
        var patient = new Calendar(LedgerWrite.PatientBusy) { Holder = "other" };
        var providerCalls = 0;
        var undone = 0;

        await Assert.ThrowsAsync<TimeoutException>(() => PairedHolds.TakeAsync(
            () => ++providerCalls == 1 ? Task.FromResult(new Result<SlotHold>(null, null)) : throw new TimeoutException(),
            () => patient.HoldAsync("A"),
            step => Compensation.OrUndoAsync(step, () => { undone++; return Task.CompletedTask; }, _ => { }),
            () => Task.CompletedTask));

        Assert.Equal((2, 1), (providerCalls, undone));
    }

    /// <summary>One calendar: a pending hold of another booking refuses with the mark, a recorded entry without it.</summary>
    private sealed class Calendar(Error busy)
    {
        public string? Holder { get; set; }

        public string? Recorded { get; init; }

        public int Calls { get; private set; }

        public Task<Result<SlotHold>> HoldAsync(string id) => Task.FromResult(Hold(id));

        public Result<SlotHold> Hold(string id)
        {
            Calls++;
            if (Recorded is not null)
            {
                return busy;
            }

            if (Holder is not null && Holder != id)
            {
                return PendingHoldRefusal.Mark(busy);
            }

            Holder = id;
            return new Result<SlotHold>(null, null);
        }

        public void Release(string id)
        {
            if (Holder == id)
            {
                Holder = null;
            }
        }
    }

    /// <summary>One booking's holds: the first round's calls wait for their turn, later ones run at once.</summary>
    private sealed class Booking(string id, Calendar provider, Calendar patient, Turns turns, Barrier released)
    {
        private int _round;

        public string Id => id;

        public Error? FirstRefusal { get; private set; }

        public int Releases { get; private set; }

        public async Task<Error?> TakeAsync()
        {
            return await PairedHolds.TakeAsync(() => HoldAsync(provider, "provider"), () => HoldAsync(patient, "patient"), step => step(), ReleaseAsync);
        }

        private async Task<Result<SlotHold>> HoldAsync(Calendar calendar, string which)
        {
            if (_round >= 2)
            {
                return calendar.Hold(id);
            }

            _round++;
            var held = await turns.RunAsync($"{id}.{which}", () => calendar.Hold(id));
            FirstRefusal ??= held.Error;
            return held;
        }

        private async Task ReleaseAsync()
        {
            _round = 2;
            Releases++;
            provider.Release(id);
            patient.Release(id);
            if (Releases == 1)
            {
                // Every booking gives back what it held before any tries again.
                await released.ArriveAsync();
            }
        }
    }

    /// <summary>Runs named steps one at a time, in the given order.</summary>
    private sealed class Turns(params string[] order)
    {
        private readonly Dictionary<string, TaskCompletionSource> _turns = order.ToDictionary(o => o, o => Pending(o == order[0]));
        private int _next;

        public async Task<T> RunAsync<T>(string step, Func<T> action)
        {
            await _turns[step].Task.WaitAsync(TimeSpan.FromSeconds(10));
            var result = action();
            if (++_next < order.Length)
            {
                _turns[order[_next]].TrySetResult();
            }

            return result;
        }

        private static TaskCompletionSource Pending(bool first)
        {
            var turn = new TaskCompletionSource();
            if (first)
            {
                turn.SetResult();
            }

            return turn;
        }
    }

    /// <summary>Completes when <paramref name="count"/> callers have arrived.</summary>
    private sealed class Barrier(int count)
    {
        private readonly TaskCompletionSource _all = new();
        private int _arrived;

        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) == count)
            {
                _all.TrySetResult();
            }

            return _all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
