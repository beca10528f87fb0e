using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using ClinicCluster.Security;
using ClinicCluster.Silo.Commands;
using ClinicCluster.Silo.Encryption;
using ClinicCluster.Silo.Ledger;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// KEK rotation: with a new active key, old rows stay readable; <c>encryption rotate</c> re-encrypts
/// them in batches, patient grain states and the appointment ledger's reasons; afterwards every value
/// opens with the new key alone (the old one retired).
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class EncryptionRotationTests(StorageFixture fixture)
{
    [Fact]
    public async Task Rotate_reads_old_values_reencrypts_them_and_the_old_key_can_be_retired()
    {
        var clinicId = TestData.NewId("rot");
        await fixture.Silo.Grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(TestData.Clinic("Rotation"));
        var patients = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var key = ClinicScopedKey.Format(clinicId, TestData.NewId("pat"));
            Assert.True((await fixture.Silo.Grains.GetGrain<IPatientGrain>(key).CreateAsync(TestData.Patient($"MRN-ROT-{i}-{clinicId[^6..]}"))).IsSuccess);
            patients.Add(key);
        }

        // Ledger rows written by the silos' protector (old ring): a reason each, one also cancelled.
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var oldLedger = new PostgresAppointmentLedger(dataSource, Protector(TestKeyRings.PhiRingFile));
        var appointments = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var row = LedgerRow(clinicId, i);
            Assert.Equal(LedgerWriteOutcome.Written, (await oldLedger.InsertAsync(row)).Outcome);
            appointments.Add(row.AppointmentId);
        }

        var cancelled = (await oldLedger.GetAsync(clinicId, appointments[0]))!;
        Assert.Equal(LedgerWriteOutcome.Written, (await oldLedger.UpdateAsync(
            cancelled with { Status = AppointmentStatus.Cancelled, CancellationReason = "Patient travelling", UpdatedAt = cancelled.UpdatedAt.AddMinutes(5) },
            cancelled.Version)).Outcome);
        var ledgerBefore = await LedgerAsync(clinicId);
        Assert.Equal(4, ledgerBefore.Count(v => v.Text is not null));
        Assert.All(ledgerBefore.Where(v => v.Text is not null), v => Assert.StartsWith($"phi2:{TestKeyRings.ActiveKeyId}:", v.Text, StringComparison.Ordinal));

        var rotated = TestKeyRings.Write("phi", "test-2", [(TestKeyRings.ActiveKeyId, TestKeyRings.PhiKey), ("test-2", KeyRing.NewKeyBase64())], TestKeyRings.PhiIndexKey);
        var retired = TestKeyRings.Write("phi", "test-2",
            [("test-2", KeyRing.Load(rotated, "Encryption:KeyRingFile", true).Keys["test-2"] is var k ? Convert.ToBase64String(k) : "")], TestKeyRings.PhiIndexKey);
        var before = await ValuesAsync(clinicId);
        Assert.NotEmpty(before);
        Assert.All(before, v => Assert.StartsWith($"phi2:{TestKeyRings.ActiveKeyId}:", v.Value, StringComparison.Ordinal));

        // Old values read with the rotated ring, not with the retired one.
        var rotatedProtector = Protector(rotated);
        var retiredProtector = Protector(retired);
        foreach (var (value, field) in before)
        {
            Assert.NotEmpty(await rotatedProtector.UnprotectAsync(value, field));
            await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(async () => await retiredProtector.UnprotectAsync(value, field));
        }

        using var output = new StringWriter();
        var code = await SiloCommandLine.InvokeAsync(
            ["encryption", "rotate", "--batch-size", "3", "--Postgres:ConnectionString", fixture.Database.App, "--Encryption:KeyRingFile", rotated], output, TextWriter.Null);
        Assert.True(code == 0, output.ToString());
        Assert.Contains("\n3 rows scanned", "\n" + output.ToString(), StringComparison.Ordinal); // more than one batch
        Assert.Contains("ledger: 3 rows scanned", output.ToString(), StringComparison.Ordinal);

        var after = await ValuesAsync(clinicId);
        Assert.Equal(before.Count, after.Count);
        Assert.All(after, v => Assert.StartsWith("phi2:test-2:", v.Value, StringComparison.Ordinal));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Field, after[i].Field);
            Assert.Equal(await rotatedProtector.UnprotectAsync(before[i].Value, before[i].Field), await retiredProtector.UnprotectAsync(after[i].Value, after[i].Field));
        }

        // The ledger's text is under the new key, the same text, and the rows' version and
        // updated_at are untouched (re-encryption is no change to the appointment).
        var ledgerAfter = await LedgerAsync(clinicId);
        Assert.Equal(ledgerBefore.Select(v => (v.Version, v.UpdatedAt)), ledgerAfter.Select(v => (v.Version, v.UpdatedAt)));
        for (var i = 0; i < ledgerBefore.Count; i++)
        {
            if (ledgerBefore[i].Text is null)
            {
                Assert.Null(ledgerAfter[i].Text);
                continue;
            }

            Assert.StartsWith("phi2:test-2:", ledgerAfter[i].Text, StringComparison.Ordinal);
            Assert.Equal(await rotatedProtector.UnprotectAsync(ledgerBefore[i].Text!, ledgerBefore[i].Field),
                await retiredProtector.UnprotectAsync(ledgerAfter[i].Text!, ledgerAfter[i].Field));
        }

        var retiredLedger = new PostgresAppointmentLedger(dataSource, retiredProtector);
        var read = (await retiredLedger.GetAsync(clinicId, appointments[0]))!;
        Assert.Equal(("Reason 0", "Patient travelling", AppointmentStatus.Cancelled, 2L), (read.Reason, read.CancellationReason, read.Status, read.Version));
        Assert.Equal("Reason 2", (await retiredLedger.GetAsync(clinicId, appointments[2]))!.Reason);

        // A second pass finds nothing left to do.
        using var again = new StringWriter();
        Assert.Equal(0, await SiloCommandLine.InvokeAsync(
            ["encryption", "rotate", "--Postgres:ConnectionString", fixture.Database.App, "--Encryption:KeyRingFile", rotated], again, TextWriter.Null));
        Assert.Contains("grain state: ", again.ToString(), StringComparison.Ordinal);
        Assert.Contains("appointment ledger: ", again.ToString(), StringComparison.Ordinal);
        Assert.DoesNotMatch("re-encrypted [1-9]", again.ToString());
    }

    private static PhiProtector Protector(string ringFile)
    {
        var ring = KeyRing.Load(ringFile, "Encryption:KeyRingFile", requireIndexKey: true);
        return new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!);
    }

    private static LedgerRow LedgerRow(string clinicId, int i)
    {
        var start = DateTimeOffset.UtcNow.Date.AddDays(7).AddHours(9 + i);
        return new LedgerRow(clinicId, TestData.NewId("apt"), $"pat-{i}", "prov-1", "checkup", start, start.AddMinutes(30), 10,
            AppointmentStatus.Booked, "America/New_York", $"Reason {i}", CancellationReason: null, RequestFingerprint: null,
            CreatedAt: DateTimeOffset.UtcNow, UpdatedAt: DateTimeOffset.UtcNow, start, start.AddMinutes(30), Version: 0);
    }

    /// <summary>The clinic's ledger reason and cancellation reason as stored, with their row's version and update time.</summary>
    private async Task<List<(string? Text, PhiField Field, long Version, DateTime UpdatedAt)>> LedgerAsync(string clinicId)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.Owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT reason, cancellation_reason, version, updated_at, appointment_id FROM scheduling.appointment_ledger WHERE clinic_id = @clinic ORDER BY appointment_id",
            connection);
        command.Parameters.AddWithValue("clinic", clinicId);
        var values = new List<(string?, PhiField, long, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(4);
            PhiField[] fields = [PhiField.AppointmentReason(clinicId, id), PhiField.AppointmentCancellationReason(clinicId, id)];
            for (var column = 0; column < 2; column++)
            {
                values.Add((reader.IsDBNull(column) ? null : reader.GetString(column), fields[column], reader.GetInt64(2), reader.GetDateTime(3)));
            }
        }

        return values;
    }

    /// <summary>Every protected value in the clinic's patient, MRN and name index rows, with the field it is bound to, in a stable order.</summary>
    private Task<List<(string Value, PhiField Field)>> ValuesAsync(string clinicId) => StoredPhi.GrainValuesAsync(fixture.Database.Owner, clinicId);
}
