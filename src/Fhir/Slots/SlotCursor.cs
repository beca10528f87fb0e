using ClinicCluster.Common;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// The opaque position of a Slot page (<see cref="KeysetCursor"/>): the last slot's start, bound to
/// the search (schedule, visit type, window, statuses). It carries no search text. The next page
/// lists the slots after that start as they are then, so walking the pages while bookings happen
/// gives no duplicates or gaps (a slot booked meanwhile shows as busy or drops out of a free-only
/// search; the others keep their places). An altered or foreign cursor is 400.
/// </summary>
public static class SlotCursor
{
    public const int MaxLength = 64;

    // One provider's slots never share a start: the start alone is the position.
    private static readonly KeysetCursor Codec = new("clinic-cluster/fhir-slot-cursor/v1", MaxLength, withId: false);

    public static string Encode(DateTimeOffset after, ulong fingerprint) => Codec.Encode(after, "", fingerprint);

    /// <summary>The start after which the page begins, or null when it is not a cursor of this search.</summary>
    public static DateTimeOffset? Decode(string cursor, ulong fingerprint) => Codec.Decode(cursor, fingerprint)?.At;

    /// <summary>The search's identity for its cursors: schedule, visit type, window and statuses (the page size may change).</summary>
    public static ulong Fingerprint(string providerId, string appointmentType, SlotWindow window, bool free, bool busy) =>
        KeysetCursor.Fingerprint(string.Join('\n', providerId, appointmentType.ToUpperInvariant(), window.From.UtcTicks, window.To.UtcTicks, free, busy));
}
