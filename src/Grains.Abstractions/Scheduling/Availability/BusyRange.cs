namespace ClinicCluster.Scheduling;

/// <summary>
/// A range a provider's calendar offers as busy (a visit and its buffer), in instants.
/// <see cref="Until"/> is when it stops blocking by itself: a checkout hold's expiry, or when a
/// booking's uncommitted hold stops counting; null for a committed appointment. Whoever reads it
/// checks <see cref="Until"/> at read time, as the calendar does.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.BusyRange")]
public sealed record BusyRange(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] DateTimeOffset? Until = null)
{
    /// <summary>True when the range still blocks at <paramref name="now"/>.</summary>
    public bool BlocksAt(DateTimeOffset now) => Until is not { } until || until > now;
}
