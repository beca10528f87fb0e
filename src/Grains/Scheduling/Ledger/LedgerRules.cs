namespace ClinicCluster.Scheduling;

/// <summary>
/// The ledger's overlap rules, as the PostgreSQL exclusion constraints state them: two active rows
/// of one clinic may not overlap for one provider (visit plus buffer) nor for one patient (visit).
/// The in-memory ledger applies them; <see cref="LedgerWrite"/> names the refusal.
/// </summary>
public static class LedgerRules
{
    /// <summary>Why <paramref name="row"/> cannot be active beside <paramref name="others"/>, or null.</summary>
    public static LedgerWrite? Refuse(LedgerRow row, IEnumerable<LedgerRow> others)
    {
        if (!row.IsActive)
        {
            return null;
        }

        var provider = new TimeRange(row.Start, row.BlockedUntil);
        var patient = new TimeRange(row.Start, row.End);
        LedgerWrite? refusal = null;
        foreach (var other in others.Where(o => o.IsActive && o.AppointmentId != row.AppointmentId && o.ClinicId == row.ClinicId))
        {
            if (other.ProviderId == row.ProviderId && provider.Overlaps(new TimeRange(other.Start, other.BlockedUntil)))
            {
                return LedgerWrite.Refused(LedgerWrite.ProviderBusy);
            }

            if (other.PatientId == row.PatientId && patient.Overlaps(new TimeRange(other.Start, other.End)))
            {
                refusal ??= LedgerWrite.Refused(LedgerWrite.PatientBusy);
            }
        }

        return refusal;
    }
}
