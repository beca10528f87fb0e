using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The appointment ledger on PostgreSQL: bookings land in it, lists are served from it, and its
/// exclusion constraints refuse an overlap even when the grains are bypassed.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class LedgerTests(StorageFixture fixture)
{
    [Fact]
    public async Task Bookings_are_written_to_the_ledger_and_lists_come_from_it()
    {
        var (clinicId, providerId, patientId) = await SetUpAsync();
        var start = NextWeekAt(10);
        var booked = await Appointment(clinicId, "apt-ledger-1").BookAsync(new BookAppointment(patientId, providerId, "checkup", start), null);
        Assert.True(booked.IsSuccess, booked.Error?.Message);
        Assert.True((await Appointment(clinicId, "apt-ledger-1").CancelAsync(null, null)).IsSuccess);

        var status = await TestDatabase.ScalarAsync<string>(fixture.Database.Owner,
            $"SELECT status FROM scheduling.appointment_ledger WHERE clinic_id = '{clinicId}' AND appointment_id = 'apt-ledger-1'");
        var list = await fixture.Silo.Grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(clinicId, patientId))
            .ListAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

        Assert.Equal("cancelled", status);
        var listed = Assert.Single(list);
        Assert.Equal(AppointmentStatus.Cancelled, listed.Status);
        Assert.Equal(booked.Value!.Start, listed.Start);
    }

    [Fact]
    public async Task The_database_refuses_an_overlapping_active_appointment_even_without_the_grains()
    {
        var (clinicId, providerId, patientId) = await SetUpAsync();
        var start = NextWeekAt(11);
        Assert.True((await Appointment(clinicId, "apt-ledger-2").BookAsync(new BookAppointment(patientId, providerId, "checkup", start), null)).IsSuccess);

        // A second writer that skipped the calendars (a stale activation, a bug): same provider, overlapping time.
        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(fixture.Database.App);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"""
                INSERT INTO scheduling.appointment_ledger (clinic_id, appointment_id, patient_id, provider_id, appointment_type,
                    starts_at, ends_at, blocked_until, status, time_zone, created_at, booked_starts_at, booked_ends_at)
                VALUES ('{clinicId}', 'apt-intruder', 'pat-other', '{providerId}', 'checkup',
                    @start, @end, @end, 'booked', 'UTC', now(), @start, @end)
                """, connection);
            command.Parameters.AddWithValue("start", start.AddMinutes(10).UtcDateTime);
            command.Parameters.AddWithValue("end", start.AddMinutes(40).UtcDateTime);
            await command.ExecuteNonQueryAsync();
        });

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, refused.SqlState);
        Assert.Equal("appointment_ledger_no_provider_overlap", refused.ConstraintName);
    }

    [Fact]
    public async Task A_patients_overlapping_visits_are_refused_by_the_patient_constraint_whoever_the_providers_are()
    {
        var clinicId = TestData.NewId("ledger");
        var start = NextWeekAt(9);
        await InsertRowAsync(clinicId, "apt-patient-1", "pat-1", "prv-a", start, start.AddMinutes(30));

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            InsertRowAsync(clinicId, "apt-patient-2", "pat-1", "prv-b", start.AddMinutes(20), start.AddMinutes(50)));

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, refused.SqlState);
        Assert.Equal("appointment_ledger_no_patient_overlap", refused.ConstraintName);
    }

    [Fact]
    public async Task The_calendar_keys_tell_apart_owners_whose_joined_ids_would_be_equal()
    {
        // The exclusion constraints compare scheduling.calendar_key(clinic, owner) (decision 0024):
        // a key of the joined text would make ('x/a', 'b') and ('x', 'a/b') one calendar.
        var clinicId = TestData.NewId("ledger");
        var start = NextWeekAt(9);
        await InsertRowAsync($"{clinicId}/a", "apt-joined-1", "b", "b", start, start.AddMinutes(30));
        await InsertRowAsync(clinicId, "apt-joined-2", "a/b", "a/b", start, start.AddMinutes(30));

        var rows = await TestDatabase.ScalarAsync<long>(fixture.Database.Owner,
            $"SELECT count(*) FROM scheduling.appointment_ledger WHERE appointment_id IN ('apt-joined-1', 'apt-joined-2') AND clinic_id LIKE '{clinicId}%'");
        Assert.Equal(2, rows);
    }

    [Fact]
    public async Task A_cancelled_visit_frees_its_range_for_the_same_provider_and_patient()
    {
        var clinicId = TestData.NewId("ledger");
        var start = NextWeekAt(9);
        await InsertRowAsync(clinicId, "apt-freed-1", "pat-1", "prv-a", start, start.AddMinutes(30), status: "cancelled");

        await InsertRowAsync(clinicId, "apt-freed-2", "pat-1", "prv-a", start, start.AddMinutes(30));

        var active = await TestDatabase.ScalarAsync<long>(fixture.Database.Owner,
            $"SELECT count(*) FROM scheduling.appointment_ledger WHERE clinic_id = '{clinicId}' AND status = 'booked'");
        Assert.Equal(1, active);
    }

    [Fact]
    public async Task A_checked_in_visit_cancelled_with_a_code_keeps_the_code_in_its_column_and_the_sweeper_query_finds_open_visits()
    {
        var (clinicId, providerId, patientId) = await SetUpAsync();
        var ledger = fixture.Silo.Services.GetRequiredService<IAppointmentLedger>();
        var now = DateTimeOffset.UtcNow;
        // Started ten minutes ago (inside check-in) and yesterday (its clinic day is over): written
        // directly, as no booking can start in the past.
        var arrived = Row(clinicId, "apt-coded", patientId, providerId, now.AddMinutes(-10), AppointmentStatus.CheckedIn);
        var forgotten = Row(clinicId, "apt-open", TestData.NewId("pat"), providerId, now.AddDays(-1), AppointmentStatus.CheckedIn);
        Assert.Equal(LedgerWriteOutcome.Written, (await ledger.InsertAsync(arrived)).Outcome);
        Assert.Equal(LedgerWriteOutcome.Written, (await ledger.InsertAsync(forgotten)).Outcome);

        var cancelled = await Appointment(clinicId, "apt-coded").CancelAsync(null, CancellationReasonCode.ClinicianUnavailable);

        Assert.True(cancelled.IsSuccess, cancelled.Error?.Message);
        Assert.Equal("clinician-unavailable", await TestDatabase.ScalarAsync<string>(fixture.Database.Owner,
            $"SELECT cancellation_code FROM scheduling.appointment_ledger WHERE clinic_id = '{clinicId}' AND appointment_id = 'apt-coded'"));
        Assert.Equal(CancellationReasonCode.ClinicianUnavailable, (await ledger.GetAsync(clinicId, "apt-coded"))!.CancellationCode);
        var open = await ledger.CheckedInBeforeAsync(clinicId, now.AddHours(-1), 10);
        Assert.Equal(["apt-open"], open.Select(r => r.AppointmentId));
    }

    [Fact]
    public async Task The_sweepers_due_query_reads_the_rows_of_its_window_not_every_booking_ahead()
    {
        var (clinicId, providerId, _) = await SetUpAsync();
        var now = DateTimeOffset.UtcNow;
        await InsertRowAsync(clinicId, "apt-missed", TestData.NewId("pat"), providerId, now.AddHours(-2), now.AddHours(-1.5));
        await InsertRowAsync(clinicId, "apt-soon", TestData.NewId("pat"), providerId, now.AddHours(2), now.AddHours(2.5));
        await InsertRowAsync(clinicId, "apt-noticed", TestData.NewId("pat"), providerId, now.AddHours(3), now.AddHours(3.5));
        await fixture.Database.ExecuteAsync("UPDATE scheduling.appointment_ledger SET due_soon_noticed_at = now() WHERE clinic_id = @c AND appointment_id = 'apt-noticed'", ("c", clinicId));

        // 2,000 bookings from a month ahead on: what a large clinic holds, none of it due.
        const int Ahead = 2_000;
        var start = new DateTimeOffset(now.UtcDateTime.Date.AddDays(30), TimeSpan.Zero);
        await fixture.Database.ExecuteAsync("""
            INSERT INTO scheduling.appointment_ledger (clinic_id, appointment_id, patient_id, provider_id, appointment_type,
                starts_at, ends_at, blocked_until, status, time_zone, created_at, booked_starts_at, booked_ends_at)
            SELECT @c, 'apt-ahead-' || i, 'pat-ahead-' || i, @p, 'checkup', @s + i * interval '30 minutes', @s + i * interval '30 minutes' + interval '30 minutes',
                   @s + i * interval '30 minutes' + interval '30 minutes', 'booked', 'UTC', now(), @s + i * interval '30 minutes', @s + i * interval '30 minutes' + interval '30 minutes'
              FROM generate_series(1, @n) AS i
            """, ("c", clinicId), ("p", providerId), ("s", start.UtcDateTime), ("n", Ahead));
        await fixture.Database.ExecuteAsync("ANALYZE scheduling.appointment_ledger");

        var (endedBefore, dueSoonBefore) = (now.AddMinutes(-15), now.AddHours(24));
        var due = await fixture.Silo.Services.GetRequiredService<IAppointmentLedger>().DueAsync(clinicId, endedBefore, dueSoonBefore, 200);
        Assert.Equal(["apt-missed", "apt-soon"], due.Select(r => r.AppointmentId));

        // The scan reads the three rows of the window (one filtered out), not the 2,000 ahead.
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.Owner);
        await using var explain = dataSource.CreateCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + Persistence.Postgres.Ledger.LedgerSql.Due);
        explain.Parameters.AddWithValue("clinic_id", clinicId);
        explain.Parameters.AddWithValue("ended_before", endedBefore.UtcDateTime);
        explain.Parameters.AddWithValue("due_soon_before", dueSoonBefore.UtcDateTime);
        explain.Parameters.AddWithValue("limit", 200);
        var plan = System.Text.Json.Nodes.JsonNode.Parse((string)(await explain.ExecuteScalarAsync())!)!;
        Assert.InRange(RowsRead(plan[0]!["Plan"]!), 2, 10);
    }

    [Fact]
    public async Task A_patients_list_pages_by_keyset_in_id_order_within_a_start_and_reads_only_its_page()
    {
        var (clinicId, providerId, _) = await SetUpAsync();
        var patientId = TestData.NewId("pat");

        // Ten years of history, a visit a day (3,650 rows), and three rows sharing one start:
        // a cancelled visit and its rebooking, as a patient's list holds them.
        var first = new DateTimeOffset(DateTime.UtcNow.Date.AddYears(-10).AddHours(14), TimeSpan.Zero);
        await fixture.Database.ExecuteAsync("""
            INSERT INTO scheduling.appointment_ledger (clinic_id, appointment_id, patient_id, provider_id, appointment_type,
                starts_at, ends_at, blocked_until, status, time_zone, created_at, booked_starts_at, booked_ends_at)
            SELECT @c, 'apt-history-' || lpad(i::text, 5, '0'), @pt, @p, 'checkup', @s + i * interval '1 day', @s + i * interval '1 day' + interval '30 minutes',
                   @s + i * interval '1 day' + interval '30 minutes', 'fulfilled', 'UTC', now(), @s + i * interval '1 day', @s + i * interval '1 day' + interval '30 minutes'
              FROM generate_series(1, 3650) AS i
            """, ("c", clinicId), ("pt", patientId), ("p", providerId), ("s", first.UtcDateTime));
        var shared = first.AddDays(3651);
        foreach (var (id, status) in new[] { ("apt-same-b", "cancelled"), ("apt-same-A", "cancelled"), ("apt-same-c", "booked") })
        {
            await InsertRowAsync(clinicId, id, patientId, providerId, shared, shared.AddMinutes(30), status);
        }

        await fixture.Database.ExecuteAsync("ANALYZE scheduling.appointment_ledger");

        var ledger = fixture.Silo.Services.GetRequiredService<IAppointmentLedger>();
        var all = new List<AppointmentSummary>();
        LedgerPosition? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await ledger.ListPageAsync(clinicId, CalendarOwner.Patient, patientId, new LedgerPage(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, after, 500));
            all.AddRange(page);
            if (page.Count < 500)
            {
                break;
            }

            after = new LedgerPosition(page[^1].Start, page[^1].Id);
        }

        // Every row once, by start, then id bytewise (upper case before lower), as the cursor and
        // the embedded ledger order them.
        Assert.Equal(3653, all.Select(a => a.Id).Distinct().Count());
        Assert.Equal(3653, all.Count);
        Assert.Equal(["apt-same-A", "apt-same-b", "apt-same-c"], all.TakeLast(3).Select(a => a.Id));
        Assert.Equal(all.Select(a => a.Start).Order(), all.Select(a => a.Start));
        var middle = await ledger.ListPageAsync(clinicId, CalendarOwner.Patient, patientId,
            new LedgerPage(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new LedgerPosition(shared, "apt-same-A"), 5));
        Assert.Equal(["apt-same-b", "apt-same-c"], middle.Select(a => a.Id));

        // A page deep into the history reads its own rows (21 asked), not the 3,000 before it.
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.Owner);
        await using var explain = dataSource.CreateCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + Persistence.Postgres.Ledger.LedgerSql.PageByPatient);
        explain.Parameters.AddWithValue("clinic_id", clinicId);
        explain.Parameters.AddWithValue("owner_id", patientId);
        explain.Parameters.AddWithValue("after_start", all[3000].Start.UtcDateTime);
        explain.Parameters.AddWithValue("after_id", all[3000].Id);
        explain.Parameters.AddWithValue("to", DateTimeOffset.MaxValue.UtcDateTime);
        explain.Parameters.AddWithValue("limit", 21);
        var plan = System.Text.Json.Nodes.JsonNode.Parse((string)(await explain.ExecuteScalarAsync())!)!;
        Assert.InRange(RowsRead(plan[0]!["Plan"]!), 21, 30);
    }

    // Rows every scan node of a plan produced or filtered out.
    private static double RowsRead(System.Text.Json.Nodes.JsonNode node)
    {
        var own = node["Node Type"]!.GetValue<string>().Contains("Scan", StringComparison.Ordinal)
            ? node["Actual Rows"]!.GetValue<double>() + (node["Rows Removed by Filter"]?.GetValue<double>() ?? 0) + (node["Rows Removed by Index Recheck"]?.GetValue<double>() ?? 0)
            : 0;
        return own + (node["Plans"]?.AsArray().Sum(child => RowsRead(child!)) ?? 0);
    }

    private static LedgerRow Row(string clinicId, string id, string patientId, string providerId, DateTimeOffset start, AppointmentStatus status) =>
        new(clinicId, id, patientId, providerId, "checkup", start, start.AddMinutes(30), 10, status, "UTC", null, null, null,
            start, start, start, start.AddMinutes(30), Version: 1);

    /// <summary>A ledger row written straight through the app role, as a writer that skipped the calendars would.</summary>
    private async Task InsertRowAsync(string clinicId, string appointmentId, string patientId, string providerId,
        DateTimeOffset start, DateTimeOffset end, string status = "booked")
    {
        await using var connection = new NpgsqlConnection(fixture.Database.App);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO scheduling.appointment_ledger (clinic_id, appointment_id, patient_id, provider_id, appointment_type,
                starts_at, ends_at, blocked_until, status, time_zone, created_at, booked_starts_at, booked_ends_at)
            VALUES (@clinic, @appointment, @patient, @provider, 'checkup', @start, @end, @end, @status, 'UTC', now(), @start, @end)
            """, connection);
        command.Parameters.AddWithValue("clinic", clinicId);
        command.Parameters.AddWithValue("appointment", appointmentId);
        command.Parameters.AddWithValue("patient", patientId);
        command.Parameters.AddWithValue("provider", providerId);
        command.Parameters.AddWithValue("start", start.UtcDateTime);
        command.Parameters.AddWithValue("end", end.UtcDateTime);
        command.Parameters.AddWithValue("status", status);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(string ClinicId, string ProviderId, string PatientId)> SetUpAsync()
    {
        var clinicId = TestData.NewId("ledger");
        var grains = fixture.Silo.Grains;
        var clinic = grains.GetGrain<IClinicGrain>(clinicId);
        Assert.True((await clinic.CreateAsync(new ClinicSettings("Ledger clinic", "UTC",
            [new AppointmentType("checkup", 30, 10)], BookingPolicy.Default))).IsSuccess);
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(8, 0), new TimeOnly(18, 0))).ToList();
        Assert.True((await clinic.AddProviderAsync("prv-ledger", new ProviderProfile("Dr. Ledger", "General", hours, []))).IsSuccess);
        var patientId = TestData.NewId("pat");
        Assert.True((await grains.GetGrain<Patients.IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId))
            .CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess);
        return (clinicId, "prv-ledger", patientId);
    }

    private IAppointmentGrain Appointment(string clinicId, string id) =>
        fixture.Silo.Grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, id));

    private static DateTimeOffset NextWeekAt(int hour) =>
        new DateTimeOffset(DateTime.UtcNow.Date.AddDays(7).AddHours(hour), TimeSpan.Zero);
}
