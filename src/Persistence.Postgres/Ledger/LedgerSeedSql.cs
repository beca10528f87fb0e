namespace ClinicCluster.Persistence.Postgres.Ledger;

/// <summary>
/// The bulk seed's statements (decision 0056): ledger rows in the shape <see cref="LedgerSql.Insert"/>
/// writes for a booking without a reason or an idempotency key, then the one update that completed,
/// cancelled or marked it a no-show (version 2). Appointment <c>n</c> of a seed is a pure function
/// of <c>n</c> (id, provider, slot, status; the patient is the clinic's patient at that slot's position), so a
/// seed resumes by numbers and never writes a row twice (the primary key; ON CONFLICT DO NOTHING).
/// </summary>
internal static class LedgerSeedSql
{
    // Patients of a clinic, in a stable order: the patient grains' state rows (key "clinic/patient").
    public const string ClinicPatients = """
        SELECT substr(grain_id_ext, length(@clinic_id) + 2) FROM orleans.grain_state
        WHERE grain_type = 'patient' AND grain_id_ext LIKE @clinic_id || '/%' AND payload IS NOT NULL
        ORDER BY grain_id_ext
        """;

    // Appointment n takes provider-slot g = n * @step mod the span's provider-slots (@step coprime to
    // it, so any prefix of numbers takes distinct slots spread over the whole span, and a larger seed
    // extends a smaller one): provider g mod P at time t = g div P, 20 half-hour visits a day from
    // 08:00 local; days below @past_days lie before today, the rest from @future_offset days ahead.
    // The visits of one time t have consecutive g, hence different patients. ON CONFLICT without a
    // target also skips a row an exclusion constraint refuses (a patient booked twice at one time
    // across two seeds, whose patient lists differ): the API would refuse it too.
    public const string InsertRange = """
        WITH numbered AS (
            SELECT n, g, g / cardinality(@providers) AS t
            FROM generate_series(@first, @last) AS n, LATERAL (SELECT (n * @step) % @span AS g) AS slot
        ), placed AS (
            SELECT n, g,
                   CASE WHEN t / 20 < @past_days THEN @today - @past_days + (t / 20)::integer
                        ELSE @today + @future_offset + (t / 20 - @past_days)::integer END AS day,
                   (t % 20)::integer AS slot
            FROM numbered
        ), rows AS (
            SELECT n, g, day, ((day + time '08:00' + slot * interval '30 minutes') AT TIME ZONE @time_zone) AS starts_at
            FROM placed
        ), patients AS (
            -- A hash join rather than subscripting the 100,000-element array parameter once per row.
            SELECT id, ordinality - 1 AS position FROM unnest(@patients) WITH ORDINALITY AS p(id, ordinality)
        )
        INSERT INTO scheduling.appointment_ledger
            (clinic_id, appointment_id, patient_id, provider_id, appointment_type, starts_at, ends_at, blocked_until,
             buffer_minutes, status, time_zone, reason, cancellation_reason, request_fingerprint, created_at, updated_at,
             booked_starts_at, booked_ends_at, version)
        SELECT @clinic_id, 'apt-' || md5(@clinic_id || '/' || n), patients.id,
               @providers[1 + g % cardinality(@providers)], @appointment_type,
               starts_at, starts_at + interval '30 minutes', starts_at + interval '30 minutes', 0,
               CASE WHEN day >= @today THEN 'booked' WHEN n % 20 < 2 THEN 'cancelled' WHEN n % 20 = 2 THEN 'noshow' ELSE 'fulfilled' END,
               @time_zone, NULL, NULL, NULL,
               starts_at - interval '14 days',
               CASE WHEN day >= @today THEN starts_at - interval '14 days' ELSE starts_at + interval '30 minutes' END,
               starts_at, starts_at + interval '30 minutes',
               CASE WHEN day >= @today THEN 1 ELSE 2 END
        FROM rows JOIN patients ON patients.position = rows.g % cardinality(@patients)
        ON CONFLICT DO NOTHING
        """;
}
