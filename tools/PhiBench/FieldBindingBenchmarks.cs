using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using ClinicCluster.Security;

namespace ClinicCluster.PhiBench;

/// <summary>
/// Opening one demographics-sized value (about 300 bytes of JSON) through the protector: bound
/// (<c>phi2</c>, associated data = header + field) against the baseline of the same protector
/// opening an unbound <c>phi1</c> value (header only), so the ratio is the cost of the binding.
/// Protecting a bound value is listed against the same baseline.
/// </summary>
[MemoryDiagnoser]
public class FieldBindingBenchmarks
{
    private const string Plaintext = "{\"mrn\":\"MRN-000123\",\"givenName\":\"Zoe\",\"familyName\":\"Saldana\",\"birthDate\":\"1980-05-17\"," +
        "\"sex\":1,\"phone\":\"+1-555-0100\",\"email\":\"zoe@example.org\",\"address\":{\"line1\":\"1 Test St\",\"line2\":null," +
        "\"city\":\"Springfield\",\"region\":\"NY\",\"postalCode\":\"10001\",\"country\":\"US\"}}";

    private readonly PhiField _field = PhiField.PatientDemographics("clinic-1", "pat-0123456789abcdef");
    private PhiProtector _protector = null!;
    private string _bound = "";
    private string _unbound = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var ring = KeyRing.Ephemeral("k1");
        var keys = new LocalKeyRingProvider(ring);
        _protector = new PhiProtector(keys, BlindIndexKeys.Single(RandomNumberGenerator.GetBytes(32)));
        _bound = await _protector.ProtectAsync(Plaintext, _field);
        _unbound = await UnboundAsync(keys);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> OpenUnboundPhi1() => (await _protector.UnprotectAsync(_unbound, _field)).Length;

    [Benchmark]
    public async Task<int> OpenBoundPhi2() => (await _protector.UnprotectAsync(_bound, _field)).Length;

    [Benchmark]
    public async Task<int> ProtectBoundPhi2() => (await _protector.ProtectAsync(Plaintext, _field)).Length;

    /// <summary>A value in the pre-binding format: its tag covers the header alone.</summary>
    private static async Task<string> UnboundAsync(LocalKeyRingProvider keys)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeyRing.KeyBytes);
        var header = $"phi1:k1:{Base64Url.EncodeToString(await keys.WrapAsync("k1", dataKey))}";
        var clear = Encoding.UTF8.GetBytes(Plaintext);
        var payload = new byte[12 + clear.Length + 16];
        RandomNumberGenerator.Fill(payload.AsSpan(0, 12));
        using var aes = new AesGcm(dataKey, 16);
        aes.Encrypt(payload.AsSpan(0, 12), clear, payload.AsSpan(12, clear.Length), payload.AsSpan(12 + clear.Length), Encoding.ASCII.GetBytes(header));
        return $"{header}:{Base64Url.EncodeToString(payload)}";
    }
}
