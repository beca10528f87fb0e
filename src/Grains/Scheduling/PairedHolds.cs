using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The order in which one appointment's two calendar holds are taken. First both at once (one
/// round trip). If the only refusal is another booking's pending hold, the holds are released and
/// taken once more, the provider's first and then the patient's: two bookings of one patient with
/// two providers, both at once, can each hold what the other needs and both be refused (a test
/// booked 0 of 20 that way); in order, only one of them reaches the patient's calendar with its
/// provider held, and it books. A refusal by anything recorded is final at once.
/// </summary>
internal static class PairedHolds
{
    /// <param name="provider">Takes the provider's hold.</param>
    /// <param name="patient">Takes the patient's hold.</param>
    /// <param name="orUndo">Runs a step and, when it throws, releases both holds and rethrows (<see cref="Compensation.OrUndoAsync"/>).</param>
    /// <param name="release">Releases both holds after a refusal; never throws.</param>
    public static async Task<Error?> TakeAsync(
        Func<Task<Result<SlotHold>>> provider,
        Func<Task<Result<SlotHold>>> patient,
        Func<Func<Task>, Task> orUndo,
        Func<Task> release)
    {
        Task<Result<SlotHold>>? heldProvider = null, heldPatient = null;
        await orUndo(() =>
        {
            (heldProvider, heldPatient) = (provider(), patient());
            return Task.WhenAll(heldProvider, heldPatient);
        });
        var refusal = Refusal((await heldProvider!).Error, (await heldPatient!).Error);
        if (refusal is null)
        {
            return null;
        }

        await release();
        if (!PendingHoldRefusal.IsPending(refusal))
        {
            return refusal;
        }

        Error? again = null;
        await orUndo(async () =>
        {
            again = (await provider()).Error;
            again ??= (await patient()).Error;
        });
        if (again is not null)
        {
            await release();
        }

        return PendingHoldRefusal.Unmark(again);
    }

    /// <summary>The refusal to act on: a final one if either calendar gave one, else a pending one.</summary>
    private static Error? Refusal(Error? provider, Error? patient) =>
        !PendingHoldRefusal.IsPending(provider) && provider is not null ? provider
        : !PendingHoldRefusal.IsPending(patient) && patient is not null ? patient
        : provider ?? patient;
}
