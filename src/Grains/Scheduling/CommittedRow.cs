namespace ClinicCluster.Scheduling;

/// <summary>
/// The ledger row an appointment grain last saw committed, and whether it may answer from it:
/// not before the first read, and not after a write whose outcome it never learnt (then the next
/// command reads the ledger again). A row never goes back to an older version.
/// </summary>
public sealed class CommittedRow(string appointmentId)
{
    /// <summary>The newest row seen, known or not (what a calendar retry records).</summary>
    public LedgerRow? Latest { get; private set; }

    /// <summary>False until the ledger was read, and while a write's outcome is unknown.</summary>
    public bool IsKnown { get; private set; }

    /// <summary>The row when it is known to be the ledger's; null when it must be read, or none exists.</summary>
    public LedgerRow? Known => IsKnown ? Latest : null;

    /// <summary>Called before a statement is sent: until its answer arrives, the ledger may hold something newer.</summary>
    public void Forget() => IsKnown = false;

    /// <summary>Takes what the ledger answered; an interleaved older read never replaces a newer commit.</summary>
    public void Adopt(LedgerRow? row)
    {
        if (row is not null && row.AppointmentId == appointmentId && row.Version >= (Latest?.Version ?? 0))
        {
            Latest = row;
        }

        IsKnown = true;
    }

    /// <summary>
    /// Adopts the ledger's row for reconciliation; true when this activation had known an older
    /// version (it had missed a change made behind its back).
    /// </summary>
    public bool Reconcile(LedgerRow? stored)
    {
        var before = Known;
        Adopt(stored);
        return before is not null && stored is not null && before.Version != stored.Version;
    }
}
