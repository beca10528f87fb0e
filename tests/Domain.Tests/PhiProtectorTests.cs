using System.Security.Cryptography;
using System.Text.Json;
using ClinicCluster.Security;

namespace ClinicCluster.Domain.Tests;

public sealed class PhiProtectorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("phi-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Protected_value_round_trips_names_its_key_and_hides_the_plaintext()
    {
        var protector = Protector(Ring("k1", ("k1", Key1)));

        var ciphertext = await protector.ProtectAsync("Zoë Saldaña", Field);

        Assert.StartsWith("phi2:k1:", ciphertext, StringComparison.Ordinal);
        // Neither the text nor its base64 form: a two-letter probe ("Zo") turns up in random
        // base64 about once in seventy runs, so the probes are long enough never to by chance.
        Assert.DoesNotContain("Saldaña", ciphertext, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("Zoë Saldaña"))[..12], ciphertext, StringComparison.Ordinal);
        Assert.Equal("Zoë Saldaña", await protector.UnprotectAsync(ciphertext, Field));
        Assert.NotEqual(ciphertext, await protector.ProtectAsync("Zoë Saldaña", Field));
    }

    [Fact]
    public async Task A_changed_byte_anywhere_fails_decryption()
    {
        var protector = Protector(Ring("k1", ("k1", Key1)));
        var ciphertext = await protector.ProtectAsync("secret", Field);
        var last = ciphertext[^2] == 'A' ? 'B' : 'A';

        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.UnprotectAsync(ciphertext[..^2] + last + ciphertext[^1], Field));
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.UnprotectAsync("plain text", Field));
    }

    [Fact]
    public async Task After_rotation_old_values_stay_readable_until_their_key_is_retired()
    {
        var old = await Protector(Ring("k1", ("k1", Key1))).ProtectAsync("MRN-1", Field);
        var rotated = Protector(Ring("k2", ("k1", Key1), ("k2", Key2)));

        Assert.Equal("MRN-1", await rotated.UnprotectAsync(old, Field));
        Assert.True(rotated.NeedsRotation(old));
        var fresh = await rotated.ProtectAsync("MRN-1", Field);
        Assert.StartsWith("phi2:k2:", fresh, StringComparison.Ordinal);
        Assert.False(rotated.NeedsRotation(fresh));

        var retired = Protector(Ring("k2", ("k2", Key2)));
        Assert.Equal("MRN-1", await retired.UnprotectAsync(fresh, Field));
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await retired.UnprotectAsync(old, Field));
    }

    [Fact]
    public void Blind_index_is_stable_keyed_and_scoped_by_purpose_and_clinic()
    {
        var ring = Ring("k1", ("k1", Key1));
        var a = Protector(ring);
        var b = Protector(ring);

        Assert.Equal(a.BlindIndex("mrn", "c1", "MRN-1"), b.BlindIndex("mrn", "c1", "MRN-1"));
        Assert.NotEqual(a.BlindIndex("mrn", "c1", "MRN-1"), a.BlindIndex("mrn", "c2", "MRN-1"));
        Assert.NotEqual(a.BlindIndex("mrn", "c1", "MRN-1"), a.BlindIndex("name", "c1", "MRN-1"));
        Assert.NotEqual(a.BlindIndex("mrn", "c1", "MRN-1"), Protector(KeyRing.Ephemeral()).BlindIndex("mrn", "c1", "MRN-1"));
        Assert.Matches("^[0-9a-f]{32}$", a.BlindIndex("mrn", "c1", "MRN-1"));
    }

    [Theory]
    [InlineData("""{"activeKeyId":"k9","keys":{"k1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},"indexKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""")]
    [InlineData("""{"activeKeyId":"k1","keys":{"k1":"c2hvcnQ="},"indexKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""")]
    [InlineData("""{"activeKeyId":"k1","keys":{"k1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}""")]
    [InlineData("""{"activeKeyId":"k 1","keys":{"k 1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},"indexKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""")]
    [InlineData("not json")]
    public void A_bad_key_ring_is_refused_naming_the_setting_not_a_key(string json)
    {
        var path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => KeyRing.Load(path, "Encryption:KeyRingFile", requireIndexKey: true));

        Assert.StartsWith("Encryption:KeyRingFile", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAAAAAA", error.Message, StringComparison.Ordinal);
    }

    private static readonly PhiField Field = PhiField.PatientDemographics("c1", "p1");

    [Fact]
    public async Task A_value_opens_only_for_the_record_and_field_it_was_written_for()
    {
        var protector = Protector(Ring("k1", ("k1", Key1)));
        var ciphertext = await protector.ProtectAsync("Zoë", Field);

        Assert.Equal("Zoë", await protector.UnprotectAsync(ciphertext, PhiField.PatientDemographics("c1", "p1")));
        foreach (var other in new[]
        {
            PhiField.PatientDemographics("c1", "p2"), PhiField.PatientDemographics("c2", "p1"), PhiField.NameIndexEntry("c1", "p1"),
            PhiField.MrnRegistryEntry("c1", "p1"), new PhiField("c1", "patient", "p1", "demographics "), new PhiField("c1p", "atient", "p1", "demographics"),
        })
        {
            var error = await Assert.ThrowsAsync<PhiIntegrityException>(async () => await protector.UnprotectAsync(ciphertext, other));
            Assert.DoesNotContain("Zo", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("p1", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unbound_phi1_value_still_opens_under_any_field_and_needs_rewriting()
    {
        var ring = Ring("k1", ("k1", Key1));
        var legacy = await LegacyCiphertext.WriteAsync(new LocalKeyRingProvider(ring), "k1", "Zoë");
        var protector = Protector(ring);

        Assert.StartsWith("phi1:k1:", legacy, StringComparison.Ordinal);
        Assert.Equal("Zoë", await protector.UnprotectAsync(legacy, Field));
        Assert.True(protector.NeedsRotation(legacy));
        Assert.False(protector.NeedsRotation(await protector.ProtectAsync("Zoë", Field)));
    }

    [Fact]
    public async Task A_rotated_in_blind_index_key_gives_other_indexes_and_the_original_stays_addressable()
    {
        var path = Path.Combine(_folder, "index.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            activeKeyId = "k1",
            keys = new Dictionary<string, string> { ["k1"] = Key1 },
            indexKey = IndexKey,
            indexKeys = new Dictionary<string, string> { ["ix-2"] = Key2 },
            activeIndexKeyId = "ix-2",
        }));
        var ring = KeyRing.Load(path, "Encryption:KeyRingFile", requireIndexKey: true);
        var rotated = Protector(ring);
        var original = Protector(Ring("k1", ("k1", Key1)));

        Assert.Equal(["ix-2", BlindIndexKeys.Original], rotated.IndexKeys.Ids);
        Assert.Equal(original.BlindIndex("mrn", "c1", "MRN-1"), rotated.BlindIndex(BlindIndexKeys.Original, "mrn", "c1", "MRN-1"));
        Assert.NotEqual(original.BlindIndex("mrn", "c1", "MRN-1"), rotated.BlindIndex("mrn", "c1", "MRN-1"));
        Assert.Throws<CryptographicException>(() => original.BlindIndex("ix-2", "mrn", "c1", "MRN-1"));
    }

    private static readonly string Key1 = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly string Key2 = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());
    private static readonly string IndexKey = Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray());

    private static PhiProtector Protector(KeyRing ring) => new(new LocalKeyRingProvider(ring), ring.IndexKeys!);

    private KeyRing Ring(string active, params (string Id, string Key)[] keys)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            activeKeyId = active,
            keys = keys.ToDictionary(k => k.Id, k => k.Key),
            indexKey = IndexKey,
        }));
        return KeyRing.Load(path, "Encryption:KeyRingFile", requireIndexKey: true);
    }
}
