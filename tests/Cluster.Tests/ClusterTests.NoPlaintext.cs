using System.Text;
using ClinicCluster.Cluster.Tests.Infrastructure;
using Npgsql;

namespace ClinicCluster.Cluster.Tests;

/// <summary>
/// PHI at rest: patients registered, searched and read through the API with unique marker strings
/// in every demographic field; then a pg_dump of the whole database (grain state, reminders, stream
/// queues, ledger, audit) and the silo's and the API's logs must not contain any marker.
/// </summary>
public sealed partial class ClusterTests
{
    [Fact(Timeout = 240_000)]
    [RunOrder(7)]
    public async Task No_patient_marker_reaches_the_database_dump_or_the_logs()
    {
        await using var cluster = new ClusterHarness(nameof(No_patient_marker_reaches_the_database_dump_or_the_logs), suite.Database, output);
        var silos = await cluster.StartSilosAsync(1);
        var api = await cluster.StartApiAsync();
        var clinic = await TestClinic.CreateAsync(api, "plain", providers: 1, patients: 1);

        var markers = new List<string>();
        var patients = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var patient = PatientMarkers.New();
            markers.AddRange(patient.All);
            var created = await api.SendAsync(HttpMethod.Post, $"/api/clinics/{clinic.Id}/patients", patient.Body);
            Assert.True(created.Status == 201, $"register: {created.Status} {created.Short}");
            var id = created.Field("id")!;
            patients.Add(id);

            // Every path that handles PHI: read, MRN lookup, name search, update.
            Assert.Equal(200, (await api.GetAsync($"/api/clinics/{clinic.Id}/patients/{id}")).Status);
            Assert.Contains(id, (await api.GetAsync($"/api/clinics/{clinic.Id}/patients?mrn={patient.Mrn}")).Body, StringComparison.Ordinal);
            Assert.Contains(id, (await api.GetAsync($"/api/clinics/{clinic.Id}/patients?name={patient.FamilyName}")).Body, StringComparison.Ordinal);
            Assert.Equal(200, (await api.SendAsync(HttpMethod.Put, $"/api/clinics/{clinic.Id}/patients/{id}", patient.Body)).Status);
        }

        // The clinical free text of appointments: a marker reason when booking, another when cancelling.
        var day = DateTimeOffset.UtcNow.AddDays(2).Date;
        for (var i = 0; i < patients.Count; i++)
        {
            var (reason, cancellation) = (PatientMarkers.New().GivenName, PatientMarkers.New().FamilyName);
            markers.Add(reason);
            markers.Add(cancellation);
            var start = new DateTimeOffset(day.AddHours(15 + i), TimeSpan.Zero); // 10:00-14:00 in New York
            var booked = await api.SendAsync(HttpMethod.Post, $"/api/clinics/{clinic.Id}/appointments", new
            {
                patientId = patients[i],
                providerId = clinic.Providers[0],
                appointmentType = TestClinic.Checkup,
                start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                reason,
            });
            Assert.True(booked.Status == 201, $"book: {booked.Status} {booked.Short}");
            var appointment = booked.Field("id")!;
            var cancelled = await api.SendAsync(HttpMethod.Post, $"/api/clinics/{clinic.Id}/appointments/{appointment}/cancel", new { reason = cancellation });
            Assert.True(cancelled.Status == 200, $"cancel: {cancelled.Status} {cancelled.Short}");

            // Read back decrypted, for a role that may see clinical text.
            var read = await api.GetAppointmentAsync(clinic.Id, appointment);
            Assert.Contains(reason, read.Body, StringComparison.Ordinal);
            Assert.Contains(cancellation, read.Body, StringComparison.Ordinal);
        }

        await WaitForAuditAsync(clinic.Id, minimum: patients.Count * 5);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the console logger writes asynchronously

        var dump = await DumpDatabaseAsync(suite.Database);
        // The dump does hold the patients' rows, encrypted under the cluster's key.
        Assert.Contains(patients[0], dump, StringComparison.Ordinal);
        Assert.Contains("phi2:cluster-1:", dump, StringComparison.Ordinal);
        var logs = new Dictionary<string, string> { ["api"] = cluster.ApiProcess.ReadLog() };
        foreach (var silo in silos)
        {
            logs[silo.Name] = silo.Process.ReadLog();
        }

        var leaks = markers
            .SelectMany(m => new[] { ("pg_dump", dump) }.Concat(logs.Select(l => (l.Key, l.Value)))
                .Where(source => source.Item2.Contains(m, StringComparison.OrdinalIgnoreCase))
                .Select(source => $"{source.Item1} contains a marker of length {m.Length}"))
            .ToList();
        cluster.Log($"{markers.Count} markers, dump {dump.Length} characters, logs {string.Join(", ", logs.Select(l => $"{l.Key}={l.Value.Length}"))}");
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    /// <summary>Waits until the audit consumer appended the events, so the audit table is in the dump too.</summary>
    private async Task WaitForAuditAsync(string clinicId, int minimum)
    {
        await using var connection = await suite.Database.OpenAsync();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM audit.events WHERE clinic_id = @clinic", connection);
            count.Parameters.AddWithValue("clinic", clinicId);
            if ((long)(await count.ExecuteScalarAsync())! >= minimum)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"fewer than {minimum} audit events for the clinic after 60 s");
    }

    /// <summary>pg_dump of every schema and table, data included, as the schema owner.</summary>
    private static async Task<string> DumpDatabaseAsync(TestDatabase database)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.Owner);
        var logPath = Path.Combine(RepoPaths.Logs, "_postgres", $"dump-{database.Name}.sql");
        // The shared PostgreSQL fixture keeps its log elsewhere, so this folder may not exist yet.
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        File.Delete(logPath);
        var (exitCode, dump) = await ChildProcess.RunAsync("pg_dump", PgTools.Find("pg_dump"),
            ["--host", connection.Host!, "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--username", connection.Username!, "--dbname", database.Name, "--no-password"],
            RepoPaths.Logs, new Dictionary<string, string> { ["PGPASSWORD"] = connection.Password! }, logPath, TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, "pg_dump failed: " + ChildProcess.Tail(dump, 10));
        return dump;
    }
}
