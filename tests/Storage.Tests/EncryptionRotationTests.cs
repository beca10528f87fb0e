using System.Text.RegularExpressions;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Security;
using ClinicCluster.Silo.Encryption;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// KEK rotation: with a new active key, old rows stay readable; <c>encryption rotate</c> re-encrypts
/// them in batches; afterwards every value opens with the new key alone (the old one retired).
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class EncryptionRotationTests(StorageFixture fixture)
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

        var rotated = TestKeyRings.Write("phi", "test-2", [(TestKeyRings.ActiveKeyId, TestKeyRings.PhiKey), ("test-2", KeyRing.NewKeyBase64())], TestKeyRings.PhiIndexKey);
        var retired = TestKeyRings.Write("phi", "test-2",
            [("test-2", KeyRing.Load(rotated, "Encryption:KeyRingFile", true).Keys["test-2"] is var k ? Convert.ToBase64String(k) : "")], TestKeyRings.PhiIndexKey);
        var before = await ValuesAsync(clinicId);
        Assert.NotEmpty(before);
        Assert.All(before, v => Assert.StartsWith($"phi1:{TestKeyRings.ActiveKeyId}:", v, StringComparison.Ordinal));

        // Old values read with the rotated ring, not with the retired one.
        var rotatedProtector = Protector(rotated);
        var retiredProtector = Protector(retired);
        foreach (var value in before)
        {
            Assert.NotEmpty(await rotatedProtector.UnprotectAsync(value));
            await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(async () => await retiredProtector.UnprotectAsync(value));
        }

        using var output = new StringWriter();
        var code = await EncryptionRotateCommand.RunAsync(
            ["--batch-size", "3", "--Postgres:ConnectionString", fixture.Database.App, "--Encryption:KeyRingFile", rotated], output, TextWriter.Null);
        Assert.True(code == 0, output.ToString());
        Assert.Contains("rows scanned", output.ToString(), StringComparison.Ordinal); // more than one batch

        var after = await ValuesAsync(clinicId);
        Assert.Equal(before.Count, after.Count);
        Assert.All(after, v => Assert.StartsWith("phi1:test-2:", v, StringComparison.Ordinal));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(await rotatedProtector.UnprotectAsync(before[i]), await retiredProtector.UnprotectAsync(after[i]));
        }

        // A second pass finds nothing left to do.
        using var again = new StringWriter();
        Assert.Equal(0, await EncryptionRotateCommand.RunAsync(
            ["--Postgres:ConnectionString", fixture.Database.App, "--Encryption:KeyRingFile", rotated], again, TextWriter.Null));
        Assert.Contains("re-encrypted 0 value(s)", again.ToString(), StringComparison.Ordinal);
    }

    private static PhiProtector Protector(string ringFile)
    {
        var ring = KeyRing.Load(ringFile, "Encryption:KeyRingFile", requireIndexKey: true);
        return new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKey!);
    }

    /// <summary>Every protected value in the clinic's patient, MRN and name index rows, in a stable order.</summary>
    private async Task<List<string>> ValuesAsync(string clinicId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.Owner);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT payload::text FROM orleans.grain_state WHERE grain_type = ANY(@types) AND grain_id_ext LIKE @clinic || '/%' ORDER BY grain_type, grain_id_ext",
            connection);
        command.Parameters.AddWithValue("types", PhiReencryptor.StateNames);
        command.Parameters.AddWithValue("clinic", clinicId);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.AddRange(Ciphertext().Matches(reader.GetString(0)).Select(m => m.Value));
        }

        return values;
    }

    [GeneratedRegex("phi1:[A-Za-z0-9._-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+")]
    private static partial Regex Ciphertext();
}
