
namespace ClinicCluster.Security.Tests;

/// <summary>
/// A fingerprint of everything the product stores about clinics, patients and appointments: every
/// grain state row (type, key, version, payload), the patient index entries, the appointment ledger and the reminders. The
/// audit trail is left out on purpose: every request, refused or not, adds to it. So is the clinic
/// sweeper's revival reminder ("sweep"): a provider calendar's first activation wakes the sweeper
/// without waiting for it, so its reminder row lands after the response that caused it, and would be
/// charged to whichever request came next. The webhook dispatchers' reminders ("deliver") likewise
/// come and go after the response (a deleted subscription's dispatcher drops its own on its next tick).
/// </summary>
public static class StateSnapshot
{
    private const string Sql = """
        SELECT concat_ws('/',
            (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', grain_type, grain_id_n0, grain_id_n1, grain_id_ext, version, md5(payload::text)), ',' ORDER BY grain_type, grain_id_n0, grain_id_n1, grain_id_ext)), '')
               FROM orleans.grain_state),
            (SELECT count(*) || ':' || coalesce(md5(string_agg(row_to_json(l)::text, ',' ORDER BY clinic_id, appointment_id)), '')
               FROM (SELECT clinic_id, appointment_id, patient_id, provider_id, appointment_type, starts_at, ends_at, blocked_until, status FROM scheduling.appointment_ledger) l),
            (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', grain_id, reminder_name, start_time, period_ms), ',' ORDER BY grain_id, reminder_name)), '')
               FROM orleans.reminders WHERE reminder_name NOT IN ('sweep', 'deliver')),
            (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', partition_key, entry_key, owner_id, md5(payload)), ',' ORDER BY partition_key, entry_key)), '')
               FROM orleans.patient_index_entries))
        """;

    private static readonly string[] Parts = ["grain state", "ledger", "reminders", "patient index entries"];

    public static Task<string> TakeAsync(TestDatabase database) => database.ScalarAsync<string>(Sql);

    /// <summary>Which stores differ between two snapshots, for a failure message.</summary>
    public static string Difference(string before, string after)
    {
        var a = before.Split('/');
        var b = after.Split('/');
        return string.Join(", ", Parts.Where((_, i) => i >= a.Length || i >= b.Length || a[i] != b[i]));
    }
}
