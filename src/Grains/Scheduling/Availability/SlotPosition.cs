namespace ClinicCluster.Scheduling;

/// <summary>
/// A place in the clinic-wide order of slots: by start instant, then provider id (ordinal). A
/// page's cursor is the position of its last slot; the next page starts strictly after it.
/// </summary>
public readonly record struct SlotPosition(DateTimeOffset Start, string ProviderId)
{
    public static SlotPosition Of(ClinicSlot slot) => new(slot.Start, slot.ProviderId);

    /// <summary>The clinic-wide order: earlier start first, then the lower provider id.</summary>
    public static int Compare(ClinicSlot a, ClinicSlot b) => Compare(Of(a), Of(b));

    public static int Compare(SlotPosition a, SlotPosition b)
    {
        var byStart = a.Start.UtcTicks.CompareTo(b.Start.UtcTicks);
        return byStart != 0 ? byStart : string.CompareOrdinal(a.ProviderId, b.ProviderId);
    }

    /// <summary>True when <paramref name="slot"/> comes strictly after this position.</summary>
    public bool IsBefore(ClinicSlot slot) => Compare(this, Of(slot)) < 0;
}
