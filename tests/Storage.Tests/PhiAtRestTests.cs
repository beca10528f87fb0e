using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres.Encryption;
using ClinicCluster.Persistence.Postgres.GrainStorage;
using ClinicCluster.Persistence.Postgres.Ledger;
using ClinicCluster.Scheduling;
using ClinicCluster.Security;
using ClinicCluster.Silo.Commands;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using IGrainStorage = Orleans.Storage.IGrainStorage;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// PHI at rest on a database of its own: ciphertexts are bound to their record and field (a
/// swapped or copied value is detected), values from before the binding still read and are
/// rewritten bound, and rows from before encryption are found and encrypted by <c>encryption rotate</c>.
/// </summary>
public sealed class PhiAtRestTests : IClassFixture<StorageFixture>
{
    private static readonly JsonSerializerOptions StoredJson = new SystemTextJsonGrainStorageSerializer().Options;

    private readonly StorageFixture _fixture;

    public PhiAtRestTests(StorageFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Ciphertexts_swapped_between_patients_fields_and_ledger_rows_are_detected()
    {
        var clinicId = await ClinicAsync("swap");
        var (a, b) = (await PatientAsync(clinicId, "Alphonse"), await PatientAsync(clinicId, "Beatrix"));
        var ledger = Ledger();
        var (first, second) = (await AppointmentAsync(ledger, clinicId, 0, cancelled: true), await AppointmentAsync(ledger, clinicId, 1, cancelled: false));

        await SwapPatientsAsync(a, b);
        await SwapLedgerAsync("UPDATE scheduling.appointment_ledger l SET reason = o.reason FROM scheduling.appointment_ledger o " +
            "WHERE l.clinic_id = @c AND o.clinic_id = @c AND ((l.appointment_id = @a AND o.appointment_id = @b) OR (l.appointment_id = @b AND o.appointment_id = @a))",
            clinicId, first, second);
        try
        {
            await ForgetActivationsAsync();
            foreach (var key in new[] { a, b })
            {
                var error = await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Silo.Grains.GetGrain<IPatientGrain>(key).GetAsync());
                AssertIntegrityFault(error, "Alphonse", "Beatrix");
            }

            AssertIntegrityFault(await Assert.ThrowsAsync<PhiIntegrityException>(() => ledger.GetAsync(clinicId, first)), "Reason");
            AssertIntegrityFault(await Assert.ThrowsAsync<PhiIntegrityException>(() => ledger.GetAsync(clinicId, second)), "Reason");

            // The rotation reports the rows it cannot open (ids only) and leaves them as they are.
            var (code, output) = await RotateAsync();
            Assert.Equal(1, code);
            Assert.Contains($"integrity fault: patient {a}", output, StringComparison.Ordinal);
            Assert.Contains($"integrity fault: appointment {clinicId}/{first}", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Alphonse", output, StringComparison.Ordinal);
        }
        finally
        {
            // Swapping back restores every value: the faults came from the swap, not from damage.
            await SwapPatientsAsync(a, b);
            await SwapLedgerAsync("UPDATE scheduling.appointment_ledger l SET reason = o.reason FROM scheduling.appointment_ledger o " +
                "WHERE l.clinic_id = @c AND o.clinic_id = @c AND ((l.appointment_id = @a AND o.appointment_id = @b) OR (l.appointment_id = @b AND o.appointment_id = @a))",
                clinicId, first, second);
        }

        await ForgetActivationsAsync();
        Assert.Equal("Alphonse", (await _fixture.Silo.Grains.GetGrain<IPatientGrain>(a).GetAsync())!.Demographics.GivenName);
        Assert.Equal("Reason 1", (await ledger.GetAsync(clinicId, second))!.Reason);

        // Two fields of one record: the reason and the cancellation reason of one appointment.
        const string SwapFields = "UPDATE scheduling.appointment_ledger SET reason = cancellation_reason, cancellation_reason = reason " +
            "WHERE clinic_id = @c AND appointment_id = @a AND @b = @b";
        await SwapLedgerAsync(SwapFields, clinicId, first, first);
        AssertIntegrityFault(await Assert.ThrowsAsync<PhiIntegrityException>(() => ledger.GetAsync(clinicId, first)), "travelling");
        await SwapLedgerAsync(SwapFields, clinicId, first, first);
        Assert.Equal(("Reason 0", "Patient travelling"), ((await ledger.GetAsync(clinicId, first))!.Reason, (await ledger.GetAsync(clinicId, first))!.CancellationReason));

        // Two fields about one patient: its MRN registry entry copied over its name index entries
        // (one per name token; which one "Alph" reads depends on the keyed partition hash, so all).
        var aId = ClinicScopedKey.Parse(a).Id;
        var nameEntries = await EntriesAsync(clinicId, "name", aId);
        Assert.NotEmpty(nameEntries);
        var registryEntry = Assert.Single(await EntriesAsync(clinicId, "mrn", aId)).Payload;
        foreach (var (partition, _) in nameEntries)
        {
            await WriteEntryAsync(partition, aId, registryEntry);
        }

        try
        {
            await ForgetActivationsAsync();
            AssertIntegrityFault(await Assert.ThrowsAnyAsync<Exception>(() =>
                _fixture.Silo.Grains.GetGrain<IPatientDirectoryGrain>(clinicId).SearchByNameAsync("Alph", 10)), "Alphonse");
        }
        finally
        {
            foreach (var (partition, payload) in nameEntries)
            {
                await WriteEntryAsync(partition, aId, payload);
            }
        }

        await ForgetActivationsAsync();
        Assert.Single(await _fixture.Silo.Grains.GetGrain<IPatientDirectoryGrain>(clinicId).SearchByNameAsync("Alph", 10));
    }

    [Fact]
    public async Task Values_written_before_the_binding_still_read_and_rotate_rewrites_them_bound()
    {
        var clinicId = await ClinicAsync("legacy");
        var key = await PatientAsync(clinicId, "Leonora");
        var ledger = Ledger();
        var appointment = await AppointmentAsync(ledger, clinicId, 0, cancelled: false);
        var ring = KeyRing.Load(TestKeyRings.PhiRingFile, "Encryption:KeyRingFile", true);
        var keys = new LocalKeyRingProvider(ring);

        // Rewrite the patient and the ledger row the way the protector wrote before phi2.
        var demographics = (await _fixture.Silo.Grains.GetGrain<IPatientGrain>(key).GetAsync())!.Demographics;
        var legacyDemographics = await LegacyCiphertext.WriteAsync(keys, ring.ActiveKeyId, JsonSerializer.Serialize(demographics, PhiJson.SerializerOptions));
        var patientRow = (await RowsAsync("patient", clinicId)).Single(r => r.Key == key);
        var document = JsonNode.Parse(patientRow.Payload)!;
        document["patient"]!["demographics"] = legacyDemographics;
        await WriteRowAsync("patient", key, document.ToJsonString());
        await ExecuteAsync("UPDATE scheduling.appointment_ledger SET reason = @r WHERE clinic_id = @c AND appointment_id = @a",
            ("r", await LegacyCiphertext.WriteAsync(keys, ring.ActiveKeyId, "Legacy reason")), ("c", clinicId), ("a", appointment));

        await ForgetActivationsAsync();
        Assert.Equal(demographics, (await _fixture.Silo.Grains.GetGrain<IPatientGrain>(key).GetAsync())!.Demographics);
        Assert.Equal("Legacy reason", (await ledger.GetAsync(clinicId, appointment))!.Reason);

        var (code, output) = await RotateAsync();
        Assert.True(code == 0, output);
        Assert.Matches("grain state: .*re-encrypted [1-9]", output);
        Assert.Matches("appointment ledger: .*re-encrypted [1-9]", output);
        Assert.All(await StoredPhi.GrainValuesAsync(_fixture.Database.Owner, clinicId), v => Assert.StartsWith("phi2:", v.Value, StringComparison.Ordinal));
        Assert.StartsWith("phi2:", await ScalarAsync("SELECT reason FROM scheduling.appointment_ledger WHERE clinic_id = @c AND appointment_id = @a",
            ("c", clinicId), ("a", appointment)), StringComparison.Ordinal);

        await ForgetActivationsAsync();
        Assert.Equal(demographics, (await _fixture.Silo.Grains.GetGrain<IPatientGrain>(key).GetAsync())!.Demographics);
        Assert.Equal("Legacy reason", (await ledger.GetAsync(clinicId, appointment))!.Reason);
    }

    [Fact]
    public async Task Plaintext_rows_from_before_encryption_are_found_and_encrypted_and_still_read()
    {
        var clinicId = await ClinicAsync("plain");
        var marker = "Plainmark" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetterLower).Take(8));
        var key = await PatientAsync(clinicId, marker);
        var patientId = ClinicScopedKey.Parse(key).Id;
        var ledger = Ledger();
        var appointment = await AppointmentAsync(ledger, clinicId, 0, cancelled: false);
        var patient = (await _fixture.Silo.Grains.GetGrain<IPatientGrain>(key).GetAsync())!;
        var summary = new PatientSummary(patientId, patient.Demographics.Mrn, patient.Demographics.GivenName, patient.Demographics.FamilyName,
            patient.Demographics.BirthDate);

        // Seed the pre-encryption forms: the records as plain JSON in grain state, the reason as text.
        await EditRowsAsync("patient", clinicId, d => d["patient"]!["demographics"] = JsonSerializer.SerializeToNode(patient.Demographics, StoredJson));
        // The index entries were born encrypted (decision 0030): plaintext ones only ever existed in
        // grain state from before encryption, which a partition moves into its rows on activation.
        await WriteLegacyPartitionsAsync(clinicId, summary, protect: false);
        await ExecuteAsync("UPDATE scheduling.appointment_ledger SET reason = @r WHERE clinic_id = @c AND appointment_id = @a",
            ("r", $"Follow-up for {marker}"), ("c", clinicId), ("a", appointment));
        Assert.Contains(marker, await DumpAsync(), StringComparison.Ordinal); // the dump would show it

        var (code, output) = await RotateAsync();
        Assert.True(code == 0, output);
        Assert.Contains("encrypted 1 plaintext value(s)", output[output.IndexOf("appointment ledger", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Matches("grain state: .*encrypted [3-9][0-9]* plaintext value", output);
        Assert.DoesNotContain(marker, output, StringComparison.Ordinal);

        Assert.DoesNotContain(marker, await DumpAsync(), StringComparison.Ordinal);
        Assert.All(await StoredPhi.GrainValuesAsync(_fixture.Database.Owner, clinicId), v => Assert.StartsWith("phi2:", v.Value, StringComparison.Ordinal));

        await ForgetActivationsAsync();
        var grains = _fixture.Silo.Grains;
        Assert.Equal(patient.Demographics, (await grains.GetGrain<IPatientGrain>(key).GetAsync())!.Demographics);
        Assert.Equal(patientId, (await grains.GetGrain<IPatientDirectoryGrain>(clinicId).FindByMrnAsync(summary.Mrn))!.Id);
        Assert.Equal(patientId, Assert.Single(await grains.GetGrain<IPatientDirectoryGrain>(clinicId).SearchByNameAsync(marker[..6], 10)).Id);

        // The partitions moved their entries into rows on activation and left no grain state behind.
        Assert.Contains(await grains.GetGrain<IPatientDirectoryGrain>(clinicId).SearchByNameAsync(patient.Demographics.FamilyName, 10), p => p.Id == patientId);
        Assert.Empty(await RowsAsync("mrns", clinicId));
        Assert.Empty(await RowsAsync("names", clinicId));
        Assert.Single(await EntriesAsync(clinicId, "mrn", patientId));
        Assert.NotEmpty(await EntriesAsync(clinicId, "name", patientId));
        Assert.Equal($"Follow-up for {marker}", (await ledger.GetAsync(clinicId, appointment))!.Reason);
    }

    private static void AssertIntegrityFault(Exception error, params string[] secrets)
    {
        var chain = new List<Exception>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        Assert.Contains(chain, e => e is PhiIntegrityException || e.Message.Contains("failed its integrity check", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.All(chain, e => Assert.DoesNotContain(secret, e.ToString(), StringComparison.Ordinal));
        }
    }

    private PostgresAppointmentLedger Ledger() =>
        new(_fixture.Silo.Services.GetRequiredService<NpgsqlDataSource>(), _fixture.Silo.Services.GetRequiredService<IPhiProtector>());

    private async Task<string> ClinicAsync(string prefix)
    {
        var clinicId = TestData.NewId(prefix);
        Assert.True((await _fixture.Silo.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("PHI at rest"))).IsSuccess);
        return clinicId;
    }

    private async Task<string> PatientAsync(string clinicId, string givenName)
    {
        var key = ClinicScopedKey.Format(clinicId, TestData.NewId("pat"));
        var result = await _fixture.Silo.Grains.GetGrain<IPatientGrain>(key).CreateAsync(
            TestData.Patient($"MRN-{givenName[..3]}-{Guid.NewGuid():N}"[..24]) with { GivenName = givenName });
        Assert.True(result.IsSuccess);
        return key;
    }

    private static async Task<string> AppointmentAsync(PostgresAppointmentLedger ledger, string clinicId, int i, bool cancelled)
    {
        var start = DateTimeOffset.UtcNow.Date.AddDays(7).AddHours(9 + i);
        var row = new LedgerRow(clinicId, TestData.NewId("apt"), $"pat-{i}", "prov-1", "checkup", start, start.AddMinutes(30), 10,
            AppointmentStatus.Booked, "America/New_York", $"Reason {i}", CancellationReason: null, RequestFingerprint: null,
            CreatedAt: DateTimeOffset.UtcNow, UpdatedAt: DateTimeOffset.UtcNow, start, start.AddMinutes(30), Version: 0);
        Assert.Equal(LedgerWriteOutcome.Written, (await ledger.InsertAsync(row)).Outcome);
        if (cancelled)
        {
            var stored = (await ledger.GetAsync(clinicId, row.AppointmentId))!;
            Assert.Equal(LedgerWriteOutcome.Written, (await ledger.UpdateAsync(
                stored with { Status = AppointmentStatus.Cancelled, CancellationReason = "Patient travelling", UpdatedAt = stored.UpdatedAt.AddMinutes(5) },
                stored.Version)).Outcome);
        }

        return row.AppointmentId;
    }

    /// <summary>Deactivates idle grains, so the next call reads its state from the database again.</summary>
    private Task ForgetActivationsAsync() => _fixture.Silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private async Task<(int Code, string Output)> RotateAsync()
    {
        using var output = new StringWriter();
        var code = await SiloCommandLine.InvokeAsync(
            ["encryption", "rotate", "--batch-size", "2", "--Postgres:ConnectionString", _fixture.Database.App, "--Encryption:KeyRingFile", TestKeyRings.PhiRingFile], output, output);
        return (code, output.ToString());
    }

    private Task SwapPatientsAsync(string a, string b) => ExecuteAsync(
        "UPDATE orleans.grain_state g SET payload = jsonb_set(g.payload, '{patient,demographics}', o.payload -> 'patient' -> 'demographics') " +
        "FROM orleans.grain_state o WHERE g.grain_type = 'patient' AND o.grain_type = 'patient' " +
        "AND ((g.grain_id_ext = @a AND o.grain_id_ext = @b) OR (g.grain_id_ext = @b AND o.grain_id_ext = @a))",
        ("a", a), ("b", b));

    private Task SwapLedgerAsync(string sql, string clinicId, string a, string b) => ExecuteAsync(sql, ("c", clinicId), ("a", a), ("b", b));

    private Task<List<(string Key, string Payload)>> RowsAsync(string stateName, string clinicId) => _fixture.Database.QueryAsync(
        "SELECT grain_id_ext, payload::text FROM orleans.grain_state WHERE grain_type = @t AND payload IS NOT NULL AND grain_id_ext LIKE @c || '/%' ORDER BY grain_id_ext",
        reader => (reader.GetString(0), reader.GetString(1)), ("t", stateName), ("c", clinicId));

    private async Task EditRowsAsync(string stateName, string clinicId, Action<JsonNode> edit)
    {
        var rows = await RowsAsync(stateName, clinicId);
        Assert.NotEmpty(rows);
        foreach (var (key, payload) in rows)
        {
            var document = JsonNode.Parse(payload)!;
            edit(document);
            await WriteRowAsync(stateName, key, document.ToJsonString());
        }
    }

    /// <summary>A patient's index entries of one kind ("mrn" or "name") in the clinic: partition and payload.</summary>
    private Task<List<(string Partition, string Payload)>> EntriesAsync(string clinicId, string kind, string patientId) => _fixture.Database.QueryAsync(
        "SELECT partition_key, payload FROM orleans.patient_index_entries WHERE partition_key LIKE @p || '%' AND owner_id = @o ORDER BY partition_key",
        reader => (reader.GetString(0), reader.GetString(1)), ("p", $"{clinicId}/{kind}/"), ("o", patientId));

    private Task WriteEntryAsync(string partition, string patientId, string payload) => ExecuteAsync(
        "UPDATE orleans.patient_index_entries SET payload = @v WHERE partition_key = @p AND owner_id = @o", ("v", payload), ("p", partition), ("o", patientId));

    /// <summary>
    /// Puts the patient's MRN registry and name index entries back the way they were stored before
    /// decision 0030 (whole partitions in grain state, through the silo's own storage provider) and
    /// drops the rows; with <paramref name="protect"/> false the entries are the plain JSON from
    /// before encryption existed.
    /// </summary>
    private async Task WriteLegacyPartitionsAsync(string clinicId, PatientSummary summary, bool protect)
    {
        var services = _fixture.Silo.Services;
        var keys = services.GetRequiredService<PatientIndexKeys>();
        var protector = services.GetRequiredService<IPhiProtector>();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Patients);
        await ForgetActivationsAsync();
        await ExecuteAsync("DELETE FROM orleans.patient_index_entries WHERE partition_key LIKE @c || '/%' AND owner_id = @o", ("c", clinicId), ("o", summary.Id));

        var registry = new MrnRegistryState();
        registry.Patients[keys.MrnIndex(clinicId, summary.Mrn)] = new MrnRegistration(summary.Id,
            await protector.ProtectAsync(summary, PhiField.MrnRegistryEntry(clinicId, summary.Id)));
        await storage.WriteStateAsync("mrns", _fixture.Silo.Grains.GetGrain<IMrnRegistryGrain>(keys.Mrn(clinicId, summary.Mrn)).GetGrainId(),
            new GrainState<MrnRegistryState>(registry));
        foreach (var partition in NameTokens.Of(summary.GivenName, summary.FamilyName).Select(t => keys.Name(clinicId, t)).Distinct())
        {
            var names = new NameIndexState();
            names.Patients[summary.Id] = await protector.ProtectAsync(summary, PhiField.NameIndexEntry(clinicId, summary.Id));
            await storage.WriteStateAsync("names", _fixture.Silo.Grains.GetGrain<INameIndexGrain>(partition).GetGrainId(), new GrainState<NameIndexState>(names));
        }

        if (!protect)
        {
            await EditRowsAsync("mrns", clinicId, d =>
            {
                foreach (var (_, entry) in d["patients"]!.AsObject())
                {
                    entry!["summary"] = JsonSerializer.SerializeToNode(summary, StoredJson);
                }
            });
            await EditRowsAsync("names", clinicId, d => d["patients"]![summary.Id] = JsonSerializer.SerializeToNode(summary, StoredJson));
        }
    }

    private Task WriteRowAsync(string stateName, string key, string payload) => ExecuteAsync(
        "UPDATE orleans.grain_state SET payload = @p::jsonb WHERE grain_type = @t AND grain_id_ext = @k", ("p", payload), ("t", stateName), ("k", key));

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) =>
        Assert.True(await _fixture.Database.ExecuteAsync(sql, parameters) > 0, "the statement changed no row");

    private Task<string> ScalarAsync(string sql, params (string Name, object Value)[] parameters) => _fixture.Database.ScalarAsync<string>(sql, parameters);

    /// <summary>pg_dump of the whole database, data included, as the owner.</summary>
    private async Task<string> DumpAsync()
    {
        var connection = new NpgsqlConnectionStringBuilder(_fixture.Database.Owner);
        var start = new ProcessStartInfo(File.Exists("/usr/lib/postgresql/15/bin/pg_dump") ? "/usr/lib/postgresql/15/bin/pg_dump" : "pg_dump")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--host", connection.Host!, "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--username", connection.Username!, "--dbname", connection.Database!, "--no-password" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGPASSWORD"] = connection.Password;
        using var process = Process.Start(start)!;
        var dump = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, "pg_dump failed: " + await error);
        return await dump;
    }
}
