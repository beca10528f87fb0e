using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>What a conditional ledger write did.</summary>
public enum LedgerWriteOutcome
{
    /// <summary>The statement committed: the row is now <see cref="LedgerWrite.Row"/>.</summary>
    Written,

    /// <summary>An overlap (provider with buffer, or patient) refused it; nothing changed.</summary>
    Refused,

    /// <summary>
    /// An insert found the appointment id taken, or an update found another version: nothing
    /// changed, and <see cref="LedgerWrite.Row"/> is the row as the ledger has it.
    /// </summary>
    Conflict,
}

/// <summary>The outcome of one conditional ledger statement.</summary>
[GenerateSerializer, Immutable, Alias("cc.LedgerWrite")]
public sealed record LedgerWrite(
    [property: Id(0)] LedgerWriteOutcome Outcome,
    [property: Id(1)] LedgerRow? Row,
    [property: Id(2)] Error? Refusal)
{
    public static LedgerWrite Written(LedgerRow row) => new(LedgerWriteOutcome.Written, row, null);

    public static LedgerWrite Refused(Error refusal) => new(LedgerWriteOutcome.Refused, null, refusal);

    public static LedgerWrite Conflict(LedgerRow? current) => new(LedgerWriteOutcome.Conflict, current, null);

    public static Error ProviderBusy { get; } =
        Error.Conflict("provider-busy", "The provider already has an appointment that overlaps this time.");

    public static Error PatientBusy { get; } =
        Error.Conflict("patient-busy", "The patient already has an appointment that overlaps this time.");
}
