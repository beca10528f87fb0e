using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The cursor of a clinic-wide search (<see cref="KeysetCursor"/>): the last slot's position, start
/// instant and provider id, bound to the query's type, dates, providers and specialty.
/// </summary>
public static class AvailabilityCursor
{
    public const int MaxLength = ClinicAvailabilityLimits.MaxCursorLength;
    private static readonly KeysetCursor Codec = new("clinic-cluster/availability-cursor/v1", MaxLength);

    public static string Encode(SlotPosition position, ulong queryFingerprint) =>
        Codec.Encode(position.Start, position.ProviderId, queryFingerprint);

    /// <summary>The position in <paramref name="cursor"/>, or null when it is not a cursor of this query.</summary>
    public static SlotPosition? Decode(string cursor, ulong queryFingerprint) =>
        Codec.Decode(cursor, queryFingerprint) is { } position ? new SlotPosition(position.At, position.Id) : null;

    /// <summary>
    /// The query's identity for its cursors: type, dates, providers (as a set) and specialty,
    /// normalised as the search compares them. The limit may change between pages.
    /// </summary>
    public static ulong Fingerprint(ClinicAvailabilityQuery query)
    {
        var providers = (query.ProviderIds ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return KeysetCursor.Fingerprint(string.Join('\n', query.AppointmentType.ToUpperInvariant(), query.From.DayNumber, query.To.DayNumber,
            string.Join(',', providers), query.Specialty?.ToUpperInvariant() ?? ""));
    }
}
