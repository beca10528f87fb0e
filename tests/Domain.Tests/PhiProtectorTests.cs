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

        var ciphertext = await protector.ProtectAsync("Zoë Saldaña");

        Assert.StartsWith("phi1:k1:", ciphertext, StringComparison.Ordinal);
        Assert.DoesNotContain("Zo", ciphertext, StringComparison.Ordinal);
        Assert.Equal("Zoë Saldaña", await protector.UnprotectAsync(ciphertext));
        Assert.NotEqual(ciphertext, await protector.ProtectAsync("Zoë Saldaña"));
    }

    [Fact]
    public async Task A_changed_byte_anywhere_fails_decryption()
    {
        var protector = Protector(Ring("k1", ("k1", Key1)));
        var ciphertext = await protector.ProtectAsync("secret");
        var last = ciphertext[^2] == 'A' ? 'B' : 'A';

        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.UnprotectAsync(ciphertext[..^2] + last + ciphertext[^1]));
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await protector.UnprotectAsync("plain text"));
    }

    [Fact]
    public async Task After_rotation_old_values_stay_readable_until_their_key_is_retired()
    {
        var old = await Protector(Ring("k1", ("k1", Key1))).ProtectAsync("MRN-1");
        var rotated = Protector(Ring("k2", ("k1", Key1), ("k2", Key2)));

        Assert.Equal("MRN-1", await rotated.UnprotectAsync(old));
        Assert.True(rotated.NeedsRotation(old));
        var fresh = await rotated.ProtectAsync("MRN-1");
        Assert.StartsWith("phi1:k2:", fresh, StringComparison.Ordinal);
        Assert.False(rotated.NeedsRotation(fresh));

        var retired = Protector(Ring("k2", ("k2", Key2)));
        Assert.Equal("MRN-1", await retired.UnprotectAsync(fresh));
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await retired.UnprotectAsync(old));
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

    private static readonly string Key1 = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly string Key2 = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());
    private static readonly string IndexKey = Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray());

    private static PhiProtector Protector(KeyRing ring) => new(new LocalKeyRingProvider(ring), ring.IndexKey!);

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
