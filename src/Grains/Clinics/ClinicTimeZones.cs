using NodaTime;

namespace ClinicCluster.Clinics;

/// <summary>
/// IANA time zones from the tz database that ships inside NodaTime, so the result does not depend
/// on the host's tzdata package (container images often lack it).
/// </summary>
public static class ClinicTimeZones
{
    public static bool Exists(string? id) => id is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is not null;

    public static DateTimeZone Get(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
        ?? throw new ArgumentException("Unknown IANA time zone.", nameof(id));

    /// <summary>The instant with the zone's offset at that instant.</summary>
    public static DateTimeOffset ToZoned(string id, DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(Get(id)).ToDateTimeOffset();

    /// <summary>The local date of an instant in the zone.</summary>
    public static DateOnly LocalDate(string id, DateTimeOffset instant) =>
        DateOnly.FromDateTime(ToZoned(id, instant).DateTime);

    /// <summary>The instant a local date starts in the zone (lenient across gaps).</summary>
    public static DateTimeOffset StartOfDay(string id, DateOnly date) =>
        Get(id).AtStartOfDay(new LocalDate(date.Year, date.Month, date.Day)).ToDateTimeOffset();
}
