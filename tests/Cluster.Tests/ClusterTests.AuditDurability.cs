using System.Collections.Concurrent;
using ClinicCluster.Cluster.Tests.Infrastructure;
using Npgsql;

namespace ClinicCluster.Cluster.Tests;

/// <summary>
/// The audit trail loses nothing when silos die: under a load of patient reads, one silo is
/// killed (SIGKILL) and another stopped (SIGTERM). Every response that returned PHI must then have
/// exactly one success event in the audit table, no more (a redelivery) and no fewer (a loss).
/// </summary>
public sealed partial class ClusterTests
{
    private static readonly TimeSpan ReadLoad = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 300_000)]
    [RunOrder(6)]
    public async Task Every_phi_read_is_audited_exactly_once_while_silos_die()
    {
        await using var cluster = new ClusterHarness(nameof(Every_phi_read_is_audited_exactly_once_while_silos_die), suite.Database, output);
        var silos = await cluster.StartSilosAsync(3);
        var api = await cluster.StartApiAsync();
        var clinic = await TestClinic.CreateAsync(api, "audit", providers: 1, patients: 40);

        var returnedPhi = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var otherStatuses = new ConcurrentDictionary<int, int>();
        using var stop = new CancellationTokenSource(ReadLoad);
        var readers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var patientId = clinic.Patients[random.Next(clinic.Patients.Count)];
                try
                {
                    var response = await api.GetAsync($"/api/clinics/{clinic.Id}/patients/{patientId}", CancellationToken.None);
                    if (response.Status == 200)
                    {
                        returnedPhi.AddOrUpdate(patientId, 1, (_, n) => n + 1);
                    }
                    else
                    {
                        otherStatuses.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException)
                {
                    otherStatuses.AddOrUpdate(0, 1, (_, n) => n + 1);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(8));
        cluster.Kill(silos[0]);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var terminated = await cluster.TerminateAsync(silos[1]);
        await Task.WhenAll(readers);

        var expected = returnedPhi.Values.Sum();
        cluster.Log($"reads that returned PHI: {expected}; other answers: {string.Join(", ", otherStatuses.Select(s => $"{s.Key}x{s.Value}"))}");
        Assert.True(terminated.Exited, "the SIGTERM'd silo did not exit");
        Assert.True(expected > 100, $"too few successful reads to prove anything ({expected})");

        // The stream delivers asynchronously: wait (bounded) until every read is in the table.
        Dictionary<string, long> audited = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            audited = await SuccessfulReadsAuditedAsync(suite.Database, clinic.Id);
            if (audited.Values.Sum() >= expected)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        audited = await SuccessfulReadsAuditedAsync(suite.Database, clinic.Id);
        var duplicates = await DuplicateEventIdsAsync(suite.Database, clinic.Id);
        var mismatches = returnedPhi
            .Where(p => audited.GetValueOrDefault(p.Key) != p.Value)
            .Select(p => $"{p.Key}: {p.Value} reads, {audited.GetValueOrDefault(p.Key)} events")
            .ToList();
        Results.Write("auditDurability", new
        {
            readsReturningPhi = expected,
            successEventsStored = audited.Values.Sum(),
            otherAnswers = otherStatuses.ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
            patientsWithMismatch = mismatches.Count,
            duplicateEventIds = duplicates,
        });

        Assert.Equal(0, duplicates);
        Assert.Empty(mismatches);
    }

    private static async Task<Dictionary<string, long>> SuccessfulReadsAuditedAsync(TestDatabase database, string clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT patient_id, count(*) FROM audit.events
            WHERE clinic_id = @clinic AND operation = 'GetPatient' AND outcome = 'success'
            GROUP BY patient_id
            """, connection);
        command.Parameters.AddWithValue("clinic", clinicId);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static async Task<long> DuplicateEventIdsAsync(TestDatabase database, string clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM (SELECT event_id FROM audit.events WHERE clinic_id = @clinic GROUP BY event_id HAVING count(*) > 1) d
            """, connection);
        command.Parameters.AddWithValue("clinic", clinicId);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}
