using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>Read-back of acknowledged bookings through the API.</summary>
public static class ReadBack
{
    /// <summary>
    /// GETs every acknowledged appointment; each must answer 200 with status "booked". A 503 or a
    /// client exception is retried a few times (the cluster may still be settling after a kill) and
    /// counted; anything still wrong after that is returned as a failure line. Retrying stops after
    /// two minutes in all, so a broken cluster fails the check quickly instead of slowly.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Failures, int Retries)> VerifyAsync(
        ClinicApi api, string clinicId, IReadOnlyList<Acknowledged> acknowledged, int concurrency = 16)
    {
        var failures = new ConcurrentQueue<string>();
        var retries = 0;
        var retryUntil = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (ack, _) =>
        {
            string? problem = null;
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                if (attempt > 1 && DateTimeOffset.UtcNow > retryUntil)
                {
                    break;
                }

                try
                {
                    var response = await api.GetAppointmentAsync(clinicId, ack.AppointmentId);
                    if (response.Status == 200)
                    {
                        var status = response.Field("status");
                        problem = status == "booked" ? null : $"{ack.AppointmentId}: status {status}";
                        break;
                    }

                    problem = $"{ack.AppointmentId}: {response.Status} {response.Short}";
                    if (response.Status != 503)
                    {
                        break;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    problem = $"{ack.AppointmentId}: {exception.GetType().Name}";
                }

                Interlocked.Increment(ref retries);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            if (problem is not null)
            {
                failures.Enqueue(problem);
            }
        });
        return ([.. failures], retries);
    }
}

/// <summary>
/// SQL checks on <c>scheduling.appointment_ledger</c>, the table holding every appointment's range
/// and status. They fail (42P01) if the table does not exist.
/// </summary>
public static class Ledger
{
    /// <summary>Pairs of active appointments of one provider whose blocked ranges (visit plus buffer) overlap.</summary>
    public const string ProviderOverlaps = """
        SELECT a.clinic_id, a.provider_id, a.appointment_id, b.appointment_id
        FROM scheduling.appointment_ledger a
        JOIN scheduling.appointment_ledger b
          ON a.clinic_id = b.clinic_id
         AND a.provider_id = b.provider_id
         AND a.appointment_id < b.appointment_id
        WHERE a.status IN ('booked', 'checked-in')
          AND b.status IN ('booked', 'checked-in')
          AND tstzrange(a.starts_at, a.blocked_until) && tstzrange(b.starts_at, b.blocked_until)
        LIMIT 20
        """;

    /// <summary>Pairs of active appointments of one patient whose visits overlap.</summary>
    public const string PatientOverlaps = """
        SELECT a.clinic_id, a.patient_id, a.appointment_id, b.appointment_id
        FROM scheduling.appointment_ledger a
        JOIN scheduling.appointment_ledger b
          ON a.clinic_id = b.clinic_id
         AND a.patient_id = b.patient_id
         AND a.appointment_id < b.appointment_id
        WHERE a.status IN ('booked', 'checked-in')
          AND b.status IN ('booked', 'checked-in')
          AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        LIMIT 20
        """;

    public const string ActiveCount = """
        SELECT count(*) FROM scheduling.appointment_ledger WHERE status IN ('booked', 'checked-in')
        """;

    public static async Task<IReadOnlyList<string>> FindOverlapsAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"clinic {reader.GetString(0)}, {reader.GetString(1)}: {reader.GetString(2)} overlaps {reader.GetString(3)}");
        }

        return rows;
    }

    public static async Task<long> CountActiveAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(ActiveCount, connection);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    /// <summary>The ledger's status of every appointment of one clinic.</summary>
    public static async Task<Dictionary<string, string>> StatusesAsync(TestDatabase database, string clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT appointment_id, status FROM scheduling.appointment_ledger WHERE clinic_id = @clinic", connection);
        command.Parameters.AddWithValue("clinic", clinicId);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            statuses[reader.GetString(0)] = reader.GetString(1);
        }

        return statuses;
    }
}

/// <summary>The measured numbers of the run, merged per test into .tmp/cluster-results.json.</summary>
public static class Results
{
    private static readonly Lock Sync = new();

    public static void Write(string test, object values)
    {
        lock (Sync)
        {
            Directory.CreateDirectory(RepoPaths.Tmp);
            JsonObject root;
            try
            {
                root = File.Exists(RepoPaths.ResultsFile)
                    ? JsonNode.Parse(File.ReadAllText(RepoPaths.ResultsFile)) as JsonObject ?? []
                    : [];
            }
            catch (JsonException)
            {
                root = [];
            }

            var entry = JsonSerializer.SerializeToNode(values, ClinicApi.Json) as JsonObject ?? [];
            entry["measuredAt"] = DateTimeOffset.UtcNow.ToString("O");
            root[test] = entry;
            File.WriteAllText(RepoPaths.ResultsFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }
}
