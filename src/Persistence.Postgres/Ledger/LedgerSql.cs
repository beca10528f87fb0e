namespace ClinicCluster.Persistence.Postgres.Ledger;

/// <summary>
/// The ledger's statements; the table is created by migrations 0100 and 0110 (0450 adds the cancellation code). Every change is one
/// conditional statement (decision 0006): an insert that the primary key makes idempotent, or an
/// update at the expected version; the exclusion constraints refuse overlaps in both.
/// </summary>
internal static class LedgerSql
{
    public const string PatientOverlapConstraint = "appointment_ledger_no_patient_overlap";

    public const string Columns = """
        clinic_id, appointment_id, patient_id, provider_id, appointment_type, starts_at, ends_at, buffer_minutes,
        status, time_zone, reason, cancellation_reason, request_fingerprint, created_at, updated_at,
        booked_starts_at, booked_ends_at, version, due_soon_noticed_at, cancellation_code
        """;

    public const string Insert = $"""
        INSERT INTO scheduling.appointment_ledger
            (clinic_id, appointment_id, patient_id, provider_id, appointment_type, starts_at, ends_at, blocked_until,
             buffer_minutes, status, time_zone, reason, cancellation_reason, request_fingerprint, created_at, updated_at,
             booked_starts_at, booked_ends_at, version)
        VALUES (@clinic_id, @appointment_id, @patient_id, @provider_id, @appointment_type, @starts_at, @ends_at, @blocked_until,
                @buffer_minutes, @status, @time_zone, @reason, @cancellation_reason, @request_fingerprint, @created_at, @updated_at,
                @booked_starts_at, @booked_ends_at, 1)
        ON CONFLICT (clinic_id, appointment_id) DO NOTHING
        RETURNING {Columns}
        """;

    // The due-soon notice belongs to the start it was given for: a move clears it.
    public const string Update = $"""
        UPDATE scheduling.appointment_ledger SET
            starts_at = @starts_at, ends_at = @ends_at, blocked_until = @blocked_until, buffer_minutes = @buffer_minutes,
            status = @status, cancellation_reason = @cancellation_reason, cancellation_code = @cancellation_code,
            updated_at = @updated_at,
            due_soon_noticed_at = CASE WHEN starts_at = @starts_at THEN due_soon_noticed_at END,
            version = version + 1
        WHERE clinic_id = @clinic_id AND appointment_id = @appointment_id AND version = @expected_version
        RETURNING {Columns}
        """;

    public const string Get = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger WHERE clinic_id = @clinic_id AND appointment_id = @appointment_id
        """;

    public const string ListByProvider = $"""
        SELECT {SummaryColumns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND provider_id = @owner_id AND starts_at >= @from AND starts_at < @to
        ORDER BY starts_at, appointment_id
        """;

    public const string ListByPatient = $"""
        SELECT {SummaryColumns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND patient_id = @owner_id AND starts_at >= @from AND starts_at < @to
        ORDER BY starts_at, appointment_id
        """;

    /// <summary>What a list shows (<see cref="LedgerRows.ReadSummary"/>): no clinical text, so nothing to decrypt.</summary>
    public const string SummaryColumns = "appointment_id, patient_id, provider_id, appointment_type, starts_at, ends_at, status, time_zone";

    // A keyset page (issue 21): the index on (clinic, owner, starts_at) starts the scan at the
    // cursor's start and the LIMIT stops it, so a page reads its own rows however long the history.
    // Ids compare bytewise (COLLATE "C"), as the cursor and the embedded ledger order them; rows
    // sharing a start (a cancelled visit and its rebooking) are few, and sorted after the scan.
    private const string PageWhere = """
          AND starts_at >= @after_start AND starts_at < @to
          AND (starts_at > @after_start OR appointment_id COLLATE "C" > @after_id)
        ORDER BY starts_at, appointment_id COLLATE "C"
        LIMIT @limit
        """;

    public const string PageByProvider = $"""
        SELECT {SummaryColumns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND provider_id = @owner_id
        {PageWhere}
        """;

    public const string PageByPatient = $"""
        SELECT {SummaryColumns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND patient_id = @owner_id
        {PageWhere}
        """;

    public const string ActiveByProvider = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND provider_id = @owner_id AND status IN ('booked', 'checked-in')
        ORDER BY starts_at, appointment_id
        """;

    public const string ActiveByPatient = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND patient_id = @owner_id AND status IN ('booked', 'checked-in')
        ORDER BY starts_at, appointment_id
        """;

    public const string ActiveInClinic = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND status IN ('booked', 'checked-in')
        ORDER BY starts_at, appointment_id
        """;

    // Both halves use the partial index on booked rows by start. A visit ends after it starts, so
    // every due row starts before the later of the two instants: that bound, implied by the OR but
    // not seen through it by the planner, makes the scan read the rows starting before then (about
    // a day's bookings), not every booked row of the clinic's future (issue 21's sweep scenario:
    // 81 ms a sweep at 1,000,000 appointments without it, an empty answer each time).
    public const string Due = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND status = 'booked'
          AND starts_at < greatest(@ended_before, @due_soon_before)
          AND (ends_at < @ended_before OR (starts_at < @due_soon_before AND due_soon_noticed_at IS NULL))
        ORDER BY starts_at, appointment_id
        LIMIT @limit
        """;

    // Checked-in visits whose clinic day ended (the sweeper's flag); the active-rows index covers it.
    public const string CheckedInBefore = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND status = 'checked-in' AND starts_at < @started_before
        ORDER BY starts_at, appointment_id
        LIMIT @limit
        """;

    public const string MarkDueSoon = """
        UPDATE scheduling.appointment_ledger SET due_soon_noticed_at = @at
        WHERE clinic_id = @clinic_id AND appointment_id = @appointment_id AND status = 'booked' AND due_soon_noticed_at IS NULL
        """;
}
