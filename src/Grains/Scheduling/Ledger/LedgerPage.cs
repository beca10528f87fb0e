namespace ClinicCluster.Scheduling;

/// <summary>
/// A keyset page of one calendar's rows: those starting in [<see cref="From"/>, <see cref="To"/>)
/// and strictly after <see cref="After"/> in the order by start, then appointment id (ordinal); at
/// most <see cref="Limit"/>. Reading it costs the page's rows, not the rows before it.
/// </summary>
public sealed record LedgerPage(DateTimeOffset From, DateTimeOffset To, LedgerPosition? After, int Limit);

/// <summary>A place in a calendar's order: the start instant, then the appointment id.</summary>
public readonly record struct LedgerPosition(DateTimeOffset Start, string AppointmentId);
