using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar's "busy" answer that only other bookings' pending holds caused, nothing recorded:
/// those bookings are still deciding and may release in a moment, so the caller may try once more
/// (<see cref="PairedHolds"/>). The mark travels in the error's code between the calendar and the
/// appointment grain and is removed before any answer leaves the appointment grain.
/// </summary>
public static class PendingHoldRefusal
{
    private const string Suffix = "+pending";

    public static Error Mark(Error busy) => busy with { Code = busy.Code + Suffix };

    public static bool IsPending(Error? refusal) => refusal?.Code.EndsWith(Suffix, StringComparison.Ordinal) == true;

    /// <summary>The refusal as the API shows it: provider-busy or patient-busy, without the mark.</summary>
    public static Error? Unmark(Error? refusal) =>
        IsPending(refusal) ? refusal! with { Code = refusal!.Code[..^Suffix.Length] } : refusal;
}
