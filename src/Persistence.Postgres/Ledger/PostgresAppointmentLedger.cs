using ClinicCluster.Scheduling;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Ledger;

/// <summary>
/// The appointment ledger in PostgreSQL (<c>scheduling.appointment_ledger</c>): the one source of
/// truth for appointments (decision 0006). Each write is one statement, so one round trip; the
/// exclusion constraints refuse overlapping active ranges per provider (with buffer) and per
/// patient whatever the grains do. Database errors propagate unchanged (a grain call filter turns
/// them into StorageUnavailableException for the API). The clinical free text (reason, cancellation
/// reason) is PHI: it is encrypted here, on its way into the table, and decrypted on the way out, so
/// neither the table nor a dump or backup of it holds it in the clear (decision 0012).
/// </summary>
public sealed class PostgresAppointmentLedger(NpgsqlDataSource dataSource, IPhiProtector protector) : IAppointmentLedger
{
    public async Task<LedgerWrite> InsertAsync(LedgerRow row)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.Insert);
        Bind(command, row);
        command.Parameters.AddWithValue("patient_id", row.PatientId);
        command.Parameters.AddWithValue("provider_id", row.ProviderId);
        command.Parameters.AddWithValue("appointment_type", row.AppointmentType);
        command.Parameters.AddWithValue("time_zone", row.TimeZone);
        command.Parameters.AddWithValue("reason", await ProtectAsync(row.Reason, PhiField.AppointmentReason(row.ClinicId, row.AppointmentId)));
        command.Parameters.AddWithValue("cancellation_reason", await ProtectAsync(row.CancellationReason, CancellationField(row)));
        command.Parameters.AddWithValue("request_fingerprint", (object?)row.RequestFingerprint ?? DBNull.Value);
        command.Parameters.AddWithValue("created_at", row.CreatedAt.UtcDateTime);
        command.Parameters.AddWithValue("booked_starts_at", row.BookedStart.UtcDateTime);
        command.Parameters.AddWithValue("booked_ends_at", row.BookedEnd.UtcDateTime);
        if (await WriteAsync(command) is { } written)
        {
            return written;
        }

        // The id is taken: the caller compares the stored row (a replay, or a reused key).
        return LedgerWrite.Conflict(await GetAsync(row.ClinicId, row.AppointmentId));
    }

    public async Task<LedgerWrite> UpdateAsync(LedgerRow row, long expectedVersion)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.Update);
        Bind(command, row);
        command.Parameters.AddWithValue("cancellation_reason", await ProtectAsync(row.CancellationReason, CancellationField(row)));
        command.Parameters.AddWithValue("cancellation_code",
            row.CancellationCode is { } code ? CancellationReasonCodes.Name(code) : DBNull.Value);
        command.Parameters.AddWithValue("expected_version", expectedVersion);
        return await WriteAsync(command) ?? LedgerWrite.Conflict(await GetAsync(row.ClinicId, row.AppointmentId));
    }

    public async Task<LedgerRow?> GetAsync(string clinicId, string appointmentId)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.Get);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("appointment_id", appointmentId);
        return (await ReadAsync(command)).SingleOrDefault();
    }

    public Task<IReadOnlyList<AppointmentSummary>> ListByProviderAsync(string clinicId, string providerId, DateTimeOffset from, DateTimeOffset to) =>
        RangeAsync(LedgerSql.ListByProvider, clinicId, providerId, from, to);

    public Task<IReadOnlyList<AppointmentSummary>> ListByPatientAsync(string clinicId, string patientId, DateTimeOffset from, DateTimeOffset to) =>
        RangeAsync(LedgerSql.ListByPatient, clinicId, patientId, from, to);

    public async Task<IReadOnlyList<AppointmentSummary>> ListPageAsync(string clinicId, CalendarOwner owner, string ownerId, LedgerPage page)
    {
        await using var command = dataSource.CreateCommand(owner == CalendarOwner.Provider ? LedgerSql.PageByProvider : LedgerSql.PageByPatient);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("owner_id", ownerId);

        // No cursor: from the window's start, where every id sorts after the empty string.
        var after = page.After is { } position && position.Start >= page.From ? position : new LedgerPosition(page.From, "");
        command.Parameters.AddWithValue("after_start", after.Start.UtcDateTime);
        command.Parameters.AddWithValue("after_id", after.AppointmentId);
        command.Parameters.AddWithValue("to", page.To.UtcDateTime);
        command.Parameters.AddWithValue("limit", page.Limit);
        return await ReadSummariesAsync(command);
    }

    public async Task<IReadOnlyList<LedgerRow>> ActiveAsync(string clinicId, CalendarOwner owner, string ownerId)
    {
        await using var command = dataSource.CreateCommand(owner == CalendarOwner.Provider ? LedgerSql.ActiveByProvider : LedgerSql.ActiveByPatient);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("owner_id", ownerId);
        return await ReadAsync(command);
    }

    public async Task<IReadOnlyList<LedgerRow>> ActiveInClinicAsync(string clinicId)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.ActiveInClinic);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        return await ReadAsync(command);
    }

    public async Task<IReadOnlyList<LedgerRow>> DueAsync(string clinicId, DateTimeOffset endedBefore, DateTimeOffset dueSoonBefore, int limit)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.Due);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("ended_before", endedBefore.UtcDateTime);
        command.Parameters.AddWithValue("due_soon_before", dueSoonBefore.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command);
    }

    public async Task<IReadOnlyList<LedgerRow>> CheckedInBeforeAsync(string clinicId, DateTimeOffset startedBefore, int limit)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.CheckedInBefore);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("started_before", startedBefore.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command);
    }

    public async Task<bool> MarkDueSoonNoticedAsync(string clinicId, string appointmentId, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.MarkDueSoon);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("appointment_id", appointmentId);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>The parameters an insert and an update share: identity, range, status.</summary>
    private static void Bind(NpgsqlCommand command, LedgerRow row)
    {
        command.Parameters.AddWithValue("clinic_id", row.ClinicId);
        command.Parameters.AddWithValue("appointment_id", row.AppointmentId);
        command.Parameters.AddWithValue("starts_at", row.Start.UtcDateTime);
        command.Parameters.AddWithValue("ends_at", row.End.UtcDateTime);
        command.Parameters.AddWithValue("blocked_until", row.BlockedUntil.UtcDateTime);
        command.Parameters.AddWithValue("buffer_minutes", row.BufferMinutes);
        command.Parameters.AddWithValue("status", AppointmentTransitions.Name(row.Status));
        command.Parameters.AddWithValue("updated_at", row.UpdatedAt.UtcDateTime);
    }

    /// <summary>The row the statement returned; null when its condition matched nothing.</summary>
    private async Task<LedgerWrite?> WriteAsync(NpgsqlCommand command)
    {
        try
        {
            return (await ReadAsync(command)).SingleOrDefault() is { } row ? LedgerWrite.Written(row) : null;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return LedgerWrite.Refused(exception.ConstraintName == LedgerSql.PatientOverlapConstraint
                ? LedgerWrite.PatientBusy
                : LedgerWrite.ProviderBusy);
        }
    }

    // A list shows summaries: the statements select no clinical text, so nothing is decrypted.
    private async Task<IReadOnlyList<AppointmentSummary>> RangeAsync(string sql, string clinicId, string ownerId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("owner_id", ownerId);
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        return await ReadSummariesAsync(command);
    }

    private static async Task<IReadOnlyList<AppointmentSummary>> ReadSummariesAsync(NpgsqlCommand command)
    {
        var items = new List<AppointmentSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(LedgerRows.ReadSummary(reader));
        }

        return items;
    }

    private async Task<IReadOnlyList<LedgerRow>> ReadAsync(NpgsqlCommand command)
    {
        var rows = new List<LedgerRow>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(LedgerRows.Read(reader));
            }
        }

        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = rows[i] with
            {
                Reason = await RevealAsync(rows[i].Reason, PhiField.AppointmentReason(rows[i].ClinicId, rows[i].AppointmentId)),
                CancellationReason = await RevealAsync(rows[i].CancellationReason, CancellationField(rows[i])),
            };
        }

        return rows;
    }

    private static PhiField CancellationField(LedgerRow row) => PhiField.AppointmentCancellationReason(row.ClinicId, row.AppointmentId);

    // Each text is bound to its row and column: a reason copied from another row fails to open.
    private async ValueTask<object> ProtectAsync(string? text, PhiField field) =>
        text is null ? DBNull.Value : await protector.ProtectAsync(text, field);

    // Rows written before the ledger encrypted its text hold it in the clear; they read as they are
    // until `encryption rotate` encrypts them.
    private async ValueTask<string?> RevealAsync(string? stored, PhiField field) =>
        PhiCiphertext.IsProtected(stored) ? await protector.UnprotectAsync(stored, field) : stored;
}
