namespace ClinicCluster.Scheduling;

/// <summary>
/// The appointment ledger: the one source of truth for every appointment fact (decision 0006).
/// In PostgreSQL it is <c>scheduling.appointment_ledger</c>, whose exclusion constraints refuse
/// overlapping active appointments of a provider (with buffer) or a patient; the embedded default
/// keeps the same rules in a per-clinic grain. Every change is one conditional statement.
/// </summary>
public interface IAppointmentLedger
{
    /// <summary>
    /// Inserts a new appointment (version 1). Refused on an overlap; a conflict with the stored row
    /// when the id is taken (a replayed booking, or an idempotency key reused).
    /// </summary>
    Task<LedgerWrite> InsertAsync(LedgerRow row);

    /// <summary>
    /// Replaces the row if its version is still <paramref name="expectedVersion"/>; the new row
    /// carries <c>expectedVersion + 1</c>. Refused on an overlap; a conflict with the stored row
    /// when another writer changed it first.
    /// </summary>
    Task<LedgerWrite> UpdateAsync(LedgerRow row, long expectedVersion);

    /// <summary>The row, or null when no appointment has this id.</summary>
    Task<LedgerRow?> GetAsync(string clinicId, string appointmentId);

    /// <summary>A provider's appointments starting in [from, to), ordered by start.</summary>
    Task<IReadOnlyList<AppointmentSummary>> ListByProviderAsync(string clinicId, string providerId, DateTimeOffset from, DateTimeOffset to);

    /// <summary>A patient's appointments starting in [from, to), ordered by start.</summary>
    Task<IReadOnlyList<AppointmentSummary>> ListByPatientAsync(string clinicId, string patientId, DateTimeOffset from, DateTimeOffset to);

    /// <summary>One keyset page of a provider's or a patient's appointments, ordered by start, then id.</summary>
    Task<IReadOnlyList<AppointmentSummary>> ListPageAsync(string clinicId, CalendarOwner owner, string ownerId, LedgerPage page);

    /// <summary>A provider's or a patient's active (booked, checked-in) rows: what a calendar blocks.</summary>
    Task<IReadOnlyList<LedgerRow>> ActiveAsync(string clinicId, CalendarOwner owner, string ownerId);

    /// <summary>Every active row of a clinic (the reconciliation command), ordered by start.</summary>
    Task<IReadOnlyList<LedgerRow>> ActiveInClinicAsync(string clinicId);

    /// <summary>
    /// Booked rows that ended before <paramref name="endedBefore"/> (no-shows to mark) or start
    /// before <paramref name="dueSoonBefore"/> without a due-soon notice yet; at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<LedgerRow>> DueAsync(string clinicId, DateTimeOffset endedBefore, DateTimeOffset dueSoonBefore, int limit);

    /// <summary>
    /// Checked-in rows that started before <paramref name="startedBefore"/> (visits never completed
    /// nor cancelled after their clinic day ended), ordered by start; at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<LedgerRow>> CheckedInBeforeAsync(string clinicId, DateTimeOffset startedBefore, int limit);

    /// <summary>Records that the due-soon notice was given; true if this call was the one that did.</summary>
    Task<bool> MarkDueSoonNoticedAsync(string clinicId, string appointmentId, DateTimeOffset at);
}

/// <summary>Whose calendar: a provider's (blocked with the buffer) or a patient's.</summary>
public enum CalendarOwner
{
    Provider,
    Patient,
}
