namespace ClinicCluster.Scheduling;

/// <summary>
/// Everything a provider calendar's open-slot answer depends on besides the clinic's settings: its
/// busy ranges that end in the future (bookings, uncommitted holds, checkout holds), and the
/// version of this picture. A newer version replaces an older one whole, so a publication sent
/// twice or overtaken by a later one changes nothing (decision 0059).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.CalendarBusyTime")]
public sealed record CalendarBusyTime(
    [property: Id(0)] string ProviderId,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<BusyRange> Ranges);
