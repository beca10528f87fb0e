namespace ClinicCluster.Scheduling;

/// <summary>How a view of the cluster differed from the ledger.</summary>
public enum FindingKind
{
    /// <summary>The ledger has an active appointment the calendar did not block.</summary>
    Missing,

    /// <summary>The calendar blocked an appointment the ledger has as inactive or not at all.</summary>
    Extra,

    /// <summary>The calendar blocked another range or status than the ledger's.</summary>
    Moved,

    /// <summary>A hold stayed pending past the timeout; resolved against the ledger.</summary>
    StaleHold,

    /// <summary>An appointment's activation showed another version than the ledger's.</summary>
    AppointmentStale,

    /// <summary>A view could not be reached or compared; nothing was repaired.</summary>
    Unreachable,
}

/// <summary>One difference found by reconciliation; ids only, never patient details.</summary>
[GenerateSerializer, Immutable, Alias("cc.ReconcileFinding")]
public sealed record ReconcileFinding(
    [property: Id(0)] FindingKind Kind,
    [property: Id(1)] string View,
    [property: Id(2)] string AppointmentId,
    [property: Id(3)] bool Repaired)
{
    /// <summary>One line for the command's output: kind, view, appointment, outcome.</summary>
    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()} {View} appointment={AppointmentId} {(Repaired ? "repaired" : "unrepaired")}";
}
